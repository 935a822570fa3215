"""Contact details as Chinese data: the enterprise's mobile number, where the SMS notices go (R12)."""

from __future__ import annotations

import re

# An 11-digit mainland mobile number. The same pattern is in forms/application_received.form (form-js and the
# engine's form guard read it there); tests/domain/test_contact.py keeps the two equal.
MOBILE_PATTERN = "^1[3-9][0-9]{9}$"
_MOBILE = re.compile(MOBILE_PATTERN)
_SEPARATORS = re.compile(r"[\s\-()（）]")


def normalise_mobile(value: str | None) -> str:
    """The number as 11 digits (spaces, hyphens and a +86 / 0086 prefix dropped), or ValueError naming it."""
    digits = _SEPARATORS.sub("", value or "")
    for prefix in ("+86", "0086"):
        if digits.startswith(prefix) and len(digits) == len(prefix) + 11:
            digits = digits.removeprefix(prefix)
    if not _MOBILE.match(digits):
        shown = (value or "").strip()[:40]
        raise ValueError(f"联系电话 “{shown}” 不是有效的 11 位手机号（办理进度的短信发往此号码）。")
    return digits
