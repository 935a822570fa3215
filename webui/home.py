"""The home page."""

from flask import Blueprint, render_template

from domain.policies.catalogue import CatalogueQuery, search
from webui.context import resources

bp = Blueprint("home", __name__)


@bp.get("/")
def index():
    """Show what the service offers and the policies open for application."""
    with resources().database.session_scope() as session:
        open_policies = search(session, CatalogueQuery(status="open"), resources().clock.today())
        return render_template("home/index.html", policies=open_policies[:8])
