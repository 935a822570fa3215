"""The public catalogue (R13, R15): search, each 申报指南 and its versions, templates, feeds."""

from __future__ import annotations

import datetime as dt
import json
from urllib.parse import quote

from flask import Blueprint, Response, abort, render_template, request, url_for

from domain.departments.contacts import DepartmentContacts
from domain.organisation import reviewing_groups, unit_for_group
from domain.policies.catalogue import (
    KIND_TEXT,
    LEVEL_TEXT,
    STATUS_TEXT,
    CatalogueQuery,
    guide_content,
    payer_text,
    search,
    status_of,
    version_of,
)
from domain.policies.errors import PolicyNotFound
from domain.policies.models import Policy
from domain.policies.services import PolicyService
from webui.context import resources

bp = Blueprint("public", __name__)


def departments() -> list[tuple[str, str]]:
    return sorted(((g, unit_for_group(g).name) for g in reviewing_groups()), key=lambda item: item[0])


@bp.get("/policies")
def catalogue():
    """List published policies, filtered by keyword, department, type, level and status."""
    query = CatalogueQuery(**{k: request.args.get(k, "") for k in ("keyword", "department", "kind", "level", "status")})
    today = resources().clock.today()
    with resources().database.read_scope() as session:
        policies = search(session, query, today)
        return render_template(
            "public/catalogue.html",
            policies=policies,
            query=query,
            today=today,
            status_of=status_of,
            departments=departments(),
            kinds=KIND_TEXT,
            levels=LEVEL_TEXT,
            statuses=STATUS_TEXT,
            unit_for_group=unit_for_group,
        )


@bp.get("/policies/<code>")
def guide(code: str):
    """Show a policy's current 申报指南."""
    with resources().database.read_scope() as session:
        policy = _published(session, code)
        return render_template(
            "public/guide.html",
            policy=policy,
            guide=guide_content(policy),
            status=status_of(policy, resources().clock.today()),
            statuses=STATUS_TEXT,
            kinds=KIND_TEXT,
            levels=LEVEL_TEXT,
            department=unit_for_group(policy.department_group).name,
            version=None,
            liaison=DepartmentContacts(session).recorded(policy.department_group),  # R14; None: 联系方式待公布
        )


@bp.get("/policies/<code>/versions/<int:number>")
def guide_version(code: str, number: int):
    """Show the 申报指南 as it stood at an earlier version (what an application was filed under)."""
    with resources().database.read_scope() as session:
        version = version_of(session, code.upper(), number)
        if version is None:
            abort(404)
        return render_template(
            "public/version.html",
            version=version,
            guide=version.content,
            department=unit_for_group(version.content["department_group"]).name,
        )


@bp.get("/policies/<code>/materials/<material>/template")
def template(code: str, material: str):
    """Download the template of a required material."""
    with resources().database.read_scope() as session:
        item = PolicyService(session).material_template(code, material)
    if item is None:
        abort(404)
    return Response(
        item.template,
        mimetype=item.template_content_type or "application/octet-stream",
        headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(item.template_filename or 'template')}"},
    )


@bp.get("/feeds/policies.atom")
def feed_atom():
    """Policies and guides as an Atom feed (hall display boards, WeChat account, R15)."""
    entries = _feed_entries()
    updated = max((e["updated"] for e in entries), default=dt.datetime.now(dt.UTC))
    body = render_template("public/feed.atom.xml", entries=entries, updated=updated)
    return Response(body, mimetype="application/atom+xml")


@bp.get("/feeds/policies.json")
def feed_json():
    """Policies and guides as a JSON Feed 1.1."""
    feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "惠企政策清单与申报指南",
        "home_page_url": url_for("public.catalogue", _external=True),
        "feed_url": url_for("public.feed_json", _external=True),
        "language": "zh-CN",
        "items": [
            {
                "id": e["id"],
                "url": e["url"],
                "title": e["title"],
                "content_text": e["text"],
                "date_modified": e["updated"].isoformat(),
                "tags": e["tags"],
            }
            for e in _feed_entries()
        ],
    }
    return Response(json.dumps(feed, ensure_ascii=False, indent=1), mimetype="application/feed+json")


def _feed_entries() -> list[dict]:
    today = resources().clock.today()
    with resources().database.read_scope() as session:
        entries = []
        for policy in search(session, CatalogueQuery(), today):
            period = policy.application_deadline.isoformat() if policy.application_deadline else "常年受理"
            entries.append(
                {
                    "id": f"urn:huiqi:policy:{policy.code}:v{policy.version}",
                    "url": url_for("public.guide", code=policy.code, _external=True),
                    "title": f"{policy.name}（{STATUS_TEXT[status_of(policy, today)]}）",
                    "text": f"{policy.summary}\n申报条件：{policy.conditions}\n扶持标准：{policy.support_standard}\n"
                    f"申报截止：{period}\n兑现方式：{payer_text(policy)}\n咨询：{policy.contact}",
                    "updated": policy.updated_at,
                    "tags": [
                        unit_for_group(policy.department_group).name,
                        KIND_TEXT[policy.kind],
                        LEVEL_TEXT[policy.level],
                    ],
                }
            )
        return entries


def _published(session, code: str) -> Policy:
    try:
        return PolicyService(session).get_published(code)
    except PolicyNotFound:
        abort(404)
