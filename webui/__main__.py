"""`python -m webui`: the development server (production runs the app under gunicorn)."""

from domain.config import load_settings
from webui import create_app
from webui.startup import require_database

settings = load_settings()
require_database(settings)
create_app().run(host=settings.webui_host, port=settings.webui_port)
