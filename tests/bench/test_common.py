"""The benchmarks' shared machinery, without timing anything: speed targets live in bench/ only."""

from __future__ import annotations

import json
import socket
import struct
from pathlib import Path

import pytest

from bench.common.guards import EngineDown, NoFigure, TooLoaded, check_load, require_engine
from bench.common.machine import Load
from bench.common.memory import parse_heap_info, parse_max_heap, sample, table
from bench.common.plot import growth_plot
from bench.common.report import BenchRun, Figure
from bench.common.settings import BenchSettings, load_bench_settings
from bench.common.stats import Latencies, percentile

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def test_percentiles_are_nearest_rank_values_that_were_measured():
    values = list(range(1, 101))  # 1 … 100
    assert percentile(values, 0.5) == 50
    assert percentile(values, 0.95) == 95
    assert percentile(values, 0.99) == 99
    assert percentile(values, 1.0) == 100
    assert percentile([7.0], 0.95) == 7.0
    assert percentile([3, 1, 2], 0.5) == 2  # order does not matter
    summary = Latencies.of([10.0, 20.0, 30.0, 40.0])
    assert (summary.p50, summary.p95, summary.max, summary.count) == (20.0, 40.0, 40.0, 4)


@pytest.mark.parametrize("share", [0, -0.1, 1.5])
def test_a_percentile_outside_0_to_1_is_refused(share):
    with pytest.raises(ValueError):
        percentile([1, 2, 3], share)


def test_no_values_give_no_percentile():
    with pytest.raises(ValueError):
        percentile([], 0.95)


def test_the_full_switch_is_read_in_one_place():
    assert load_bench_settings({}).full is False
    assert load_bench_settings({"FULL": "1"}).full is True
    assert load_bench_settings({"FULL": "0"}).full is False
    quick, full = load_bench_settings({}), load_bench_settings({"FULL": "yes"})
    assert (quick.pick(1_000, 100_000), full.pick(1_000, 100_000)) == (1_000, 100_000)
    assert (quick.size, full.size) == ("quick", "full")


def test_the_load_settings_come_from_the_environment():
    settings = load_bench_settings({"BENCH_MAX_LOAD": "3.5", "BENCH_LOAD_WAIT_SECONDS": "0", "BENCH_IGNORE_LOAD": "1",
                                    "BENCH_RESULTS_DIR": "results/here"})  # fmt: skip
    assert (settings.max_load, settings.load_wait_seconds, settings.ignore_load) == (3.5, 0.0, True)
    assert settings.results_dir == Path("results/here")
    with pytest.raises(SystemExit, match="BENCH_MAX_LOAD"):
        load_bench_settings({"BENCH_MAX_LOAD": "many"})


def readings(*ones: float):
    loads = iter(Load(one, one, one, 2) for one in ones)
    return lambda: next(loads)


def test_a_loaded_machine_is_refused_after_waiting_for_the_load_to_fall():
    said, slept = [], []
    settings = BenchSettings(load_wait_seconds=20)
    with pytest.raises(TooLoaded, match="too loaded") as refused:
        check_load(settings, readings(5.0, 4.0, 3.0), sleep=slept.append, say=said.append)
    assert refused.value.exit_code == 2
    assert sum(slept) == 20
    assert "limit 2.00" in said[0]


def test_the_load_guard_passes_once_the_load_has_fallen():
    load = check_load(BenchSettings(load_wait_seconds=60), readings(3.0, 1.5), sleep=lambda _s: None, say=print)
    assert load.one == 1.5


def test_the_limit_and_the_override_come_from_the_settings():
    assert check_load(BenchSettings(max_load=6, load_wait_seconds=0), readings(5.0), say=print).one == 5.0
    said = []
    loaded = check_load(BenchSettings(ignore_load=True, load_wait_seconds=0), readings(9.0), say=said.append)
    assert loaded.one == 9.0 and "measuring anyway" in said[-1]


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # closed again when the block ends: nothing listens there


def test_an_engine_that_does_not_answer_is_refused():
    with pytest.raises(EngineDown, match="does not answer") as refused:
        require_engine(f"http://127.0.0.1:{closed_port()}/engine-rest", ("admin", "admin"), timeout=2)
    assert refused.value.exit_code == 1


def test_a_run_against_a_closed_port_prints_no_figure_and_exits_non_zero(tmp_path):
    printed: list[str] = []
    settings = BenchSettings(load_wait_seconds=0, ignore_load=True, results_dir=tmp_path)
    run = BenchRun("probe", "a benchmark", settings=settings, out=printed.append)

    def measure(current: BenchRun) -> None:
        require_engine(f"http://127.0.0.1:{closed_port()}/engine-rest", ("admin", "admin"), timeout=2)
        current.figure(Figure("never", 1.0, "req/s"))

    assert run.main(measure) == 1
    assert not any("never" in line for line in printed)
    assert any("does not answer" in line for line in printed)
    results = json.loads(next(tmp_path.glob("probe-*.json")).read_text(encoding="utf-8"))
    assert results["figures"] == [] and results["outcome"].startswith("no figure")


def test_a_refused_run_measures_nothing_and_writes_nothing(tmp_path):
    printed: list[str] = []
    settings = BenchSettings(max_load=-1, load_wait_seconds=0, results_dir=tmp_path)  # any load is above -1
    run = BenchRun("probe", "a benchmark", settings=settings, out=printed.append)
    measured = []
    assert run.main(measured.append) == 2
    assert measured == [] and not list(tmp_path.iterdir())
    assert "too loaded" in printed[-1]


def test_a_no_figure_exception_has_exit_code_1():
    assert NoFigure("x").exit_code == 1 and TooLoaded("x").exit_code == 2


def test_result_lines_give_the_figure_the_target_and_the_ratio():
    throughput = Figure("pages", 612.0, "req/s", 500)
    assert throughput.met and throughput.ratio == pytest.approx(1.224)
    assert "target ≥ 500 req/s (1.22× the target) — met" in throughput.line()
    latency = Figure("submit p95", 250, "ms", 200, better="lower", digits=0)
    assert latency.met is False and "target < 200 ms" in latency.line() and "NOT met" in latency.line()
    versus = Figure("runner", 180.0, "tasks/s", 0.8, baseline=200.0, baseline_name="plain loop", on="ratio")
    assert versus.met and "plain loop 200.0 tasks/s → ratio 0.90; target ratio ≥ 0.8 — met" in versus.line()
    assert Figure("plain", 3.0, "x").met is None


def test_a_run_writes_its_figures_and_memory_to_a_json_file(tmp_path):
    settings = BenchSettings(load_wait_seconds=0, ignore_load=True, results_dir=tmp_path)
    run = BenchRun("probe", "a benchmark", {"seconds": 1}, settings=settings, out=lambda _line: None)

    def measure(current: BenchRun) -> None:
        current.figure(Figure("pages", 612.0, "req/s", 500))
        current.memory([sample("this test", __import__("os").getpid())])

    assert run.main(measure) == 0
    results = json.loads(next(tmp_path.glob("probe-*.json")).read_text(encoding="utf-8"))
    assert results["figures"][0]["value"] == 612.0 and results["figures"][0]["met"] is True
    assert results["memory"][0]["role"] == "this test" and results["memory"][0]["rss_mib"] > 0
    assert results["params"] == {"seconds": 1} and results["machine"]["cores"] >= 1


def test_the_memory_table_names_each_process():
    me = sample("bench", __import__("os").getpid())
    assert me is not None and me.rss > 0
    assert "bench" in table([me]) and sample("gone", 2**22 + 12345) is None


G1 = """12345:
 garbage-first heap   total 262144K, used 123904K [0x00000000c0000000, 0x0000000100000000)
  region size 1024K, 50 young (51200K), 5 survivors (5120K)
 Metaspace       used 81234K, committed 82000K, reserved 1114112K
  class space    used 10000K, committed 10500K, reserved 1048576K
"""
SERIAL = """ def new generation   total 78656K, used 12000K [0x…)
  eden space 69952K,  17% used [0x…)
 tenured generation   total 174784K, used 100000K [0x…)
 Metaspace       used 8000K, committed 8100K, reserved 1056768K
"""


def test_the_jvm_heap_is_read_from_jcmd():
    assert parse_heap_info(G1) == (123904 * 1024, 262144 * 1024)
    assert parse_heap_info(SERIAL) == ((12000 + 100000) * 1024, (78656 + 174784) * 1024)
    assert parse_heap_info(" ZHeap           used 8M, capacity 32M, max capacity 1024M") == (8 << 20, 32 << 20)
    assert parse_heap_info("12345:\nno such thing") is None
    assert parse_max_heap("-XX:InitialHeapSize=268435456 -XX:MaxHeapSize=1073741824 -XX:+UseG1GC") == 1 << 30


def test_the_growth_plot_writes_a_png(tmp_path):
    path = growth_plot(tmp_path / "p3.png", "department task list",
                       {"task list": {10_000: 0.4, 1_000: 0.12, 100_000: 2.1}, "dashboard": {1_000: 0.3}},
                       target=1.0)  # fmt: skip
    data = path.read_bytes()
    assert data.startswith(PNG_SIGNATURE)
    width, height = struct.unpack(">II", data[16:24])
    assert (width, height) == (700, 450)


def test_a_plot_without_points_is_refused(tmp_path):
    with pytest.raises(ValueError):
        growth_plot(tmp_path / "empty.png", "nothing", {"task list": {}})
