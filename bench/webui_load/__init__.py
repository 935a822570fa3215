"""P4: the web UI under gunicorn as production runs it — the policy catalogue and a guide page (req/s and p95;
target ≥ 500 req/s on an idle two-core machine) and an online application submit as a logged-in enterprise with
its files (p95; target < 200 ms).

The engine jar (H2, job executor off) with the deployment and the identities as `make run` bootstraps them, one
worker process (`python -m workers`), an SQLite application database in a temporary directory seeded with the
demo policy catalogue as `make run` seeds it, and gunicorn started with production's command and settings
(webui/gunicorn_conf.py: 4 processes × 4 threads on two cores; behind a trusted proxy, which the benchmark plays).

Pages: a closed-loop generator (generator.py) keeps N keep-alive connections busy for each N in ``--levels``;
the figure is the best req/s over the levels, with that level's p95 (the curve is plotted). Its own ceiling is
measured first against a fixed answer of the page's size, and its CPU share during each run is reported: if it
came near its ceiling it says so.

Submits: ``--enterprises`` enterprises log in and apply for ``--guide``'s policy with every material a
``--file-kb`` kB PDF; every case must have started in the engine or there is no figure. First, not timed, a
warm-up: ``--warm-cases`` cases started through the engine's API and one submit per enterprise, until the workers
have taken every case up (an engine just started runs its first hundreds of cases at twice the CPU while its JIT
compiles; a county's engine has been up for weeks). Then two figures:

- the target's: ``--arrivals`` submits arriving at random (Poisson) at ``--rate`` a second — 2/s, above the
  province's peak hour (1.7/s, docs/capacity.md) on this one machine — each timed from its arrival to the
  redirect, so that a server falling behind is charged for the wait;
- the node's limit, no target: ``--parallel`` enterprises submitting back to back, ``--per-enterprise`` each,
  every core busy; its submits/s and p95 say how the node degrades past any real load.

    .venv/bin/python -m bench.webui_load [--levels 1,4,16,64] [--seconds 5] [--enterprises 8] [--no-build]

Exit 1: the engine or the web UI did not start or stopped answering, or a request failed (no figure).
Exit 2: the machine was too loaded (see bench/common/settings.py): nothing measured.
"""
