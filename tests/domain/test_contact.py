"""The enterprise's mobile number (R12: the notices go there by SMS): what is taken, what is refused."""

from __future__ import annotations

import json

import pytest

from domain.config import PROJECT_ROOT
from domain.contact import MOBILE_PATTERN, normalise_mobile


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("13800000000", "13800000000"),
        ("138 0000 0000", "13800000000"),
        ("138-0000-0000", "13800000000"),
        ("+86 138 0000 0000", "13800000000"),
        ("008619912345678", "19912345678"),
    ],
)
def test_a_mobile_number_is_kept_as_eleven_digits(given, kept):
    assert normalise_mobile(given) == kept


@pytest.mark.parametrize(
    "given", ["", "abc", "1380000000", "138000000001", "12800000000", "0591-87654321", "+1 415 555 0100", None]
)
def test_anything_else_is_refused_naming_the_number(given):
    with pytest.raises(ValueError, match="不是有效的 11 位手机号"):
        normalise_mobile(given)


def test_the_window_s_start_form_checks_the_same_pattern():
    form = json.loads((PROJECT_ROOT / "forms/application_received.form").read_text(encoding="utf-8"))
    fields = {c.get("key"): c for c in form["components"]}
    assert fields["contactPhone"]["validate"]["pattern"] == MOBILE_PATTERN
