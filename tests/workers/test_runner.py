"""Pure logic of the runner: retry waits and reconnection backoff."""

import pytest

from workers.runner import Backoff, retry_plan


@pytest.mark.parametrize(
    ("engine_retries", "left", "wait_ms"),
    [(None, 3, 1000), (3, 2, 2000), (2, 1, 4000), (1, 0, 8000)],
)
def test_retry_plan_counts_down_and_doubles_the_wait(engine_retries, left, wait_ms):
    assert retry_plan(engine_retries, max_retries=3, base_ms=1000) == (left, wait_ms)


def test_backoff_doubles_up_to_its_ceiling_and_resets():
    backoff = Backoff(1.0, 5.0)
    assert [backoff.next() for _ in range(5)] == [1.0, 2.0, 4.0, 5.0, 5.0]
    backoff.reset()
    assert backoff.next() == 1.0
