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
