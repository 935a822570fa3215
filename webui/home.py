"""The home page."""

from flask import Blueprint, current_app, render_template

bp = Blueprint("home", __name__)


@bp.get("/")
def index():
    """Show what the service offers and where staff work."""
    settings = current_app.config["HUIQI_SETTINGS"]
    return render_template("home/index.html", tasklist_url=settings.tasklist_url, cockpit_url=settings.cockpit_url)
