"""The audit log, for admins: read-only, filtered, newest first."""

from __future__ import annotations

from datetime import timedelta

from flask import render_template, request
from sqlalchemy import select

from ..extensions import db
from ..models import AuditEvent
from . import bp
from .access import admin_required
from .forms import AuditFilterForm
from .paging import page_number
from .queue import day_start

PER_PAGE = 50


@bp.get("/audit")
@admin_required
def audit_log() -> str:
    """Every audited action; nothing here can change or remove a row."""
    filters = AuditFilterForm(request.args)
    filters.validate()
    data = filters.data
    query = select(AuditEvent)
    if data.get("action"):
        query = query.where(AuditEvent.action == data["action"].strip())
    if data.get("user"):
        query = query.where(AuditEvent.user_email == data["user"].strip().lower())
    if data.get("submission") and data["submission"].strip().isdigit():
        query = query.where(AuditEvent.submission_id == int(data["submission"]))
    if data.get("date_from"):
        query = query.where(AuditEvent.at >= day_start(data["date_from"]))
    if data.get("date_to"):
        query = query.where(AuditEvent.at < day_start(data["date_to"] + timedelta(days=1)))
    page = db.paginate(
        query.order_by(AuditEvent.at.desc(), AuditEvent.id.desc()),
        page=page_number(),
        per_page=PER_PAGE,
        max_per_page=PER_PAGE,
        error_out=False,
    )
    args = {key: value for key, value in request.args.items() if key != "page" and value}
    return render_template("clinician/audit.html", filters=filters, page=page, args=args)
