"""P3's pure parts, without an engine or a clock: the data plan of each size, and the reading of PostgreSQL's
statement log. No timed assertion: speed targets live in bench/ only."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter

import pytest

from bench.dashboard_volume import profile
from bench.dashboard_volume.load import Creation, _chunks
from bench.dashboard_volume.plan import (
    CASE_END,
    FINISHED_PATH,
    FULL,
    MEASURED,
    OPEN_AT,
    QUICK,
    Size,
    department_for,
    finished_case,
    growth,
    measured_share,
    open_case,
    parse_sizes,
    sizes_for,
)
from domain.cases import VARIABLES
from domain.clock import CHINA
from domain.config import PROJECT_ROOT
from domain.organisation import DEPARTMENTS

NOW = dt.datetime(2026, 11, 18, 10, 30, tzinfo=CHINA)


def test_quick_sizes_are_1k_and_10k_and_full_adds_100k_with_a_tenth_open():
    assert [(s.finished, s.open) for s in sizes_for(False)] == [(1_000, 100), (10_000, 1_000)]
    assert sizes_for(True) == FULL == (*QUICK, Size(100_000, 10_000))
    assert [s.label for s in FULL] == ["1k", "10k", "100k"]
    assert Size(250, 25).label == "250"


def test_sizes_from_the_command_line():
    assert parse_sizes("200,2000") == (Size(200, 20), Size(2000, 200))
    assert parse_sizes("200/5, 1000/50") == (Size(200, 5), Size(1000, 50))
    for wrong in ("", "ten", "1000,500", "100/10,200/5", "0"):
        with pytest.raises(ValueError):
            parse_sizes(wrong)


def test_each_size_adds_only_what_the_one_before_lacks():
    first = growth(None, Size(1000, 100))
    assert (first.finished, first.open) == (range(1000), range(100))
    more = growth(Size(1000, 100), Size(10_000, 1000))
    assert (more.finished, more.open) == (range(1000, 10_000), range(100, 1000))
    assert more.cases == 9900
    assert more.operations == 9900 + 9000 * len(FINISHED_PATH)  # a start each, a move per step of the finished


def test_a_quarter_of_the_cases_are_the_measured_departments_and_every_department_has_some():
    counts = Counter(department_for(i).group_id for i in range(1000))
    assert counts[MEASURED.group_id] == measured_share(1000) == 250
    assert set(counts) == {unit.group_id for unit in DEPARTMENTS}
    others = [n for group, n in counts.items() if group != MEASURED.group_id]
    assert max(others) - min(others) <= 1
    assert all(measured_share(n) == sum(department_for(i) == MEASURED for i in range(n)) for n in range(60))


def test_finished_cases_are_late_one_in_ten_and_open_ones_are_all_overdue():
    late = [i for i in range(100) if finished_case(i, NOW)[1]["preliminaryReviewDue"] < NOW]
    assert late == list(range(0, 100, 10))
    assert all(open_case(i, NOW)[1]["preliminaryReviewDue"] < NOW for i in range(100))
    assert finished_case(7, NOW)[0] == "HQ-P3-F000007" and open_case(7, NOW)[0] == "HQ-P3-O000007"
    assert finished_case(7, NOW)[1]["applicationNumber"] == "HQ-P3-F000007"


def test_every_variable_is_declared_and_every_due_date_the_path_asks_for_is_given():
    _key, variables = finished_case(3, NOW)
    assert set(variables) <= set(VARIABLES)
    assert variables["departmentGroup"] == department_for(3).group_id
    diagram = (PROJECT_ROOT / "bpmn" / "policy_fulfilment.bpmn").read_text(encoding="utf-8")
    for step in {*FINISHED_PATH, OPEN_AT}:
        element = re.search(rf'<bpmn:userTask id="{step}"[^>]*>', diagram)
        assert element, step
        for name in re.findall(r"\$\{(\w+)\}", element.group(0)):  # candidate group and due date
            assert name in variables, (step, name)
    assert f'<bpmn:endEvent id="{CASE_END}"' in diagram


def test_chunks_cover_the_range_once():
    chunks = _chunks(range(100, 1100), 250)
    assert [len(c) for c in chunks] == [250, 250, 250, 250]
    assert [i for c in chunks for i in c] == list(range(100, 1100))
    assert _chunks(range(0), 250) == []


def test_creation_says_its_rate_and_where_the_time_went():
    creation = Creation(cases=1100, seconds=100.0)
    creation.add("start", 80.0, 1100)
    creation.add("move", 20.0, 12)
    assert creation.rate == 11.0
    assert creation.text() == (
        "1,100 cases in 100 s (11.0 cases/s): 1,100 starts at 73 ms each, 12 batch moves at 1667 ms each "
        "(80% of the calls' time in starts)"
    )


TASKS = "SELECT d.GROUP_ID_, d.START_DAY_ FROM HQ_TL_TASK_DAYS d WHERE t.K = $1"
LOG = [
    (101, "LOG:  duration: 0.050 ms  execute <unnamed>: SELECT ID_ FROM ACT_RE_DEPLOYMENT WHERE NAME_ = $1"),
    (101, "DETAIL:  parameters: $1 = 'huiqi-reference'"),
    (102, "LOG:  duration: 0.400 ms  statement: ALTER SYSTEM RESET log_min_duration_statement"),
    (101, "LOG:  duration: 45.500 ms  execute S_2: " + TASKS + " AND t.E >= $2 AND t.E < $11"),
    (103, "LOG:  duration: 3.000 ms  execute <unnamed>: SELECT 1 FROM ACT_RU_AUTHORIZATION A WHERE A.U = $1"),
    (101, "DETAIL:  Parameters: $1 = 'policy_fulfilment', $2 = '2026-11-01 00:00:00', $11 = 'it''s'"),
    (101, "LOG:  duration: 12.000 ms  execute S_4: SELECT 1 FROM HQ_TL_INSTANCE c WHERE c.DONE_TIME_ IS NOT NULL"),
    (101, "LOG:  duration: 8.000 ms  execute <unnamed>: SELECT 1 FROM HQ_TL_INSTANCE c WHERE c.DONE_TIME_ IS NOT NULL"),
]


def log_lines() -> list[str]:
    """As PostgreSQL writes them (log_line_prefix '%m [%p] '), two backends' lines interleaved."""
    return [f"2026-11-28 07:40:00.100 UTC [{pid}] {text}" for pid, text in LOG]


def test_the_statement_log_gives_each_statement_its_time_parameters_and_query():
    found = profile.parse_log(log_lines())
    assert [s.millis for s in found] == [0.05, 45.5, 3.0, 12.0, 8.0]  # not the benchmark's own ALTER SYSTEM
    tasks = found[1]
    assert tasks.query == "finishedTasks (on time, working days per stage)"
    assert tasks.parameters == {1: "'policy_fulfilment'", 2: "'2026-11-01 00:00:00'", 11: "'it''s'"}
    assert tasks.bound().endswith("t.K = 'policy_fulfilment' AND t.E >= '2026-11-01 00:00:00' AND t.E < 'it''s'")
    assert found[0].query == "ReferenceData.load (units, calendar)"
    assert found[0].parameters == {1: "'huiqi-reference'"}
    assert found[2].query == "authorization check" and found[2].parameters == {}
    assert profile.by_query(found)[:2] == [
        ("finishedTasks (on time, working days per stage)", 45.5, 1),
        ("countByDepartment (finished, extensions)", 20.0, 2),
    ]


def test_an_unknown_statement_is_named_by_its_beginning():
    (statement,) = profile.parse_log(
        ["2026-11-28 07:40:00.100 UTC [7] LOG:  duration: 1.000 ms  execute <unnamed>: select 42"]
    )
    assert statement.query == "other: select 42"
