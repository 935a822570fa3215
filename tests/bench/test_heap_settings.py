"""The engine's JVM options have one default, the same for `make run`, the tests, the benchmarks and the image."""

from __future__ import annotations

import re

from devstack.engine import ENGINE_JAVA_OPTS
from domain.config import PROJECT_ROOT


def test_the_image_and_devstack_start_the_engine_with_the_same_heap():
    dockerfile = (PROJECT_ROOT / "docker" / "engine.Dockerfile").read_text(encoding="utf-8")
    image = re.search(r'ENGINE_JAVA_OPTS="([^"]+)"', dockerfile)
    assert image is not None and image.group(1) == ENGINE_JAVA_OPTS
    assert "exec java $ENGINE_JAVA_OPTS -jar" in dockerfile  # the options reach java, and java is PID 1
    assert re.search(r"-Xmx\d+[mg]\b", ENGINE_JAVA_OPTS) and "-XX:+ExitOnOutOfMemoryError" in ENGINE_JAVA_OPTS


def test_the_documented_heap_is_the_one_used():
    performance = (PROJECT_ROOT / "docs" / "performance.md").read_text(encoding="utf-8")
    assert f"`ENGINE_JAVA_OPTS={ENGINE_JAVA_OPTS}`" in performance
