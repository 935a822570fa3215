"""The web UI for a production WSGI server: ``gunicorn -c python:webui.gunicorn_conf webui.wsgi:app``.

The application database is waited for by gunicorn's master (``on_starting`` in webui/gunicorn_conf.py),
once, before the workers are forked; a worker that loads this module finds it answering.
"""

from webui import create_app

app = create_app()
