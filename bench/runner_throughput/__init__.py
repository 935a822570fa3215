"""Runner at the engine's pace (issue 14): external tasks/s and pickup latency, the runner vs a plain HTTP loop.

The engine jar (H2, job executor off) with a benchmark-only BPMN — a chain of ``--length`` external tasks and a
one-task process on one topic whose handler does nothing: the runner is measured, not our handlers — served by
``--processes`` worker processes of each kind in turn, with the same maxTasks (WORKER_MAX_TASKS) and long poll:
the real `workers.runner.Runner` set up from the environment as `python -m workers` does (its client instrumented
to note createTime and completion), and a plain `requests.Session` fetchAndLock/complete loop (its URLs from the
library's builders: the house keeps REST paths in domain/engine/) — serving.py, one process each.

P1: ``--chains`` chains drained; tasks/s over the middle 80 % of the completions, ``--rounds`` times after a
warm-up, the kinds alternating. Target: runner ≥ 0.8 × the plain loop (medians). P2: one-task cases at a steady
``--rate`` (at most half the plain loop's throughput) for ``--seconds``; creation (createTime) → handler start
(runner) or fetch answered (plain loop). Target: runner p99 < 100 ms.

    .venv/bin/python -m bench.runner_throughput [--processes 1] [--max-tasks 8] [--rounds 3] [--rate 20]

``--rounds`` and ``--seconds`` default to 2 and 15 (FULL=1: 3 and 30). The memory of the engine and of each
kind's worker processes (at the end of their last run) is printed beside the figures.

Exit 1: the engine did not start or stopped answering, or a run did not finish (no figure). Exit 2: the machine
was too loaded (bench/common/settings.py: BENCH_MAX_LOAD…): nothing measured.
"""
