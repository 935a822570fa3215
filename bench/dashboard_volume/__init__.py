"""P3 (issue 14 items 2 and 3): a department's task list and the timeliness dashboard at 1k / 10k (FULL=1: and
100k) finished cases, with a tenth as many open cases overdue at their department; p50/p95/p99 at each size,
the growth from one size to the next, the engine's memory, and a PNG of the growth curves.

    .venv/bin/python -m bench.dashboard_volume [--sizes 1000,10000] [--requests 20] [--threads 4] [--chunk 250]
                                               [--explain] [--no-build]

The engine jar runs on a throwaway PostgreSQL under var/ (the production database), its job executor off. The
cases are made through the engine's own APIs (domain/engine/bulk.py): each started directly at its department's
step as the web UI's service account, the finished ones moved through their steps and ended at 办结 in batches
(one synchronous modification per ``--chunk`` cases). Details: plan.py (the data), load.py (its creation),
measure.py (what is timed), profile.py (which query takes the time).

Exit 1: the engine or PostgreSQL did not start, stopped answering, or the data is not what was created (no
figure printed for it). Exit 2: the machine was too loaded to give a meaningful figure (BENCH_MAX_LOAD…).
"""
