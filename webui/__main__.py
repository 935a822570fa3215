"""`python -m webui`: the development server (production runs the app under gunicorn)."""

from domain.config import load_settings
from webui import create_app

settings = load_settings()
create_app().run(host=settings.webui_host, port=settings.webui_port)
