"""The web UI for a production WSGI server: ``gunicorn -c python:webui.gunicorn_conf webui.wsgi:app``."""

from webui import create_app

app = create_app()
