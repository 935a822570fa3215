"""The web UI for a production WSGI server: ``gunicorn -c python:webui.gunicorn_conf webui.wsgi:app``."""

from domain.config import load_settings
from webui import create_app
from webui.startup import require_database

require_database(load_settings())
app = create_app()
