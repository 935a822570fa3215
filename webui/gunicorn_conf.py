"""gunicorn settings for the web UI, each from the environment with its default.

Sessions live on the server (var/sessions, shared by the processes of a host) and the signing key in
WEBUI_SECRET_KEY (or var/webui-secret-key, created once), so a request may reach any process.
"""

import multiprocessing
import os

bind = os.environ.get("WEBUI_BIND", "127.0.0.1:5000")
workers = int(os.environ.get("WEBUI_WORKERS", str(min(4, multiprocessing.cpu_count() * 2 + 1))))
threads = int(os.environ.get("WEBUI_THREADS", "4"))
timeout = int(os.environ.get("WEBUI_TIMEOUT_SECONDS", "60"))  # uploads of 10 MB on a slow line
graceful_timeout = 30
accesslog = "-"
errorlog = "-"
forwarded_allow_ips = os.environ.get("WEBUI_FORWARDED_ALLOW_IPS", "127.0.0.1")  # the reverse proxy
# gunicorn 27's control socket sits at one fixed path per user (~/.gunicorn/gunicorn.ctl): two web UIs on one host
# would take it from each other. Nothing here uses it; it is off.
control_socket_disable = True


def on_starting(server) -> None:
    """Wait for the application database in the master, before any worker is forked (issue 12).

    A wait in each worker (up to HUIQI_DB_WAIT_SECONDS) would outlast ``timeout``: gunicorn would kill the
    booting workers and fork new ones, again and again. Here nothing times out; a database that refuses
    (wrong password, missing database) or never comes ends gunicorn with one line and exit status 3.
    """
    from domain.config import load_settings
    from webui.startup import require_database

    require_database(load_settings())
