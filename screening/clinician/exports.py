"""The visit summary (print and PDF), and the admins' exports: CSV and FHIR."""

from __future__ import annotations

import csv
import functools
import io
import json
import mimetypes
import re
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

from flask import Response, current_app, render_template, stream_with_context, url_for
from sqlalchemy import select
from sqlalchemy.orm import defer, selectinload

from .. import clinic
from ..extensions import db
from ..models import Submission
from ..pdf_cache import cached_pdf, printout_key
from . import bp
from .access import admin_required, audit_here, clinician_required
from .review import submission_context

# The pages' stylesheet links: the address and, when given, the media (`media="print"`).
STYLESHEET = re.compile(r'<link rel="stylesheet" href="([^"]+)"(?: media="([^"]*)")?>')
BASE = "http://screening.invalid/"  # never fetched: relative URLs resolve against it
CSV_COLUMNS = (
    "reference", "created_utc", "language", "status", "highest_level", "flag_ids",
    "phq9_total", "phq9_band", "gad7_total", "gad7_band", "pcl5_total",
    "pcl5_at_or_above_cutoff", "ybocs_reported", "ybocs_band",
)  # fmt: skip


def visit_summary_html(item: Submission, *, for_pdf: bool) -> str:
    """The visit summary page: printed by the browser, or turned into a PDF."""
    return render_template(
        "print/visit_summary.html",
        submission=item,
        summary=submission_context(item, clinic.thresholds()),
        for_pdf=for_pdf,
    )


@bp.get("/submissions/<int:submission_id>/print")
@clinician_required
def print_summary(submission_id: int) -> str:
    """The visit summary as a page made for printing."""
    item = db.get_or_404(Submission, submission_id)
    audit_here("print", item.id)
    db.session.commit()
    return visit_summary_html(item, for_pdf=False)


def _static_file(url: str) -> Path:
    """The file of one of the app's own static URLs; anything else is refused."""
    static = Path(current_app.static_folder).resolve()
    prefix = url_for("static", filename="")
    path = urlsplit(url).path
    target = (static / path.removeprefix(prefix)).resolve()
    if not path.startswith(prefix) or static not in target.parents:
        raise ValueError("only the app's own static files may be loaded")
    return target


@functools.cache
def _static_only() -> Any:
    """WeasyPrint's fetcher for the app's own static files; it never uses the network."""
    # Imported late: loading Pango takes a moment, and only PDFs need it.
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnly(URLFetcher):
        def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
            target = _static_file(url)
            mime = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
            return URLFetcherResponse(url, target.read_bytes(), {"Content-Type": mime})

    return StaticOnly()


@functools.lru_cache(maxsize=16)
def _parsed_stylesheet(url: str, path: Path, modified_ns: int) -> Any:
    """A stylesheet parsed by WeasyPrint once per process (and again when the file changes)."""
    from weasyprint import CSS

    text = path.read_text(encoding="utf-8")
    return CSS(string=text, base_url=urljoin(BASE, url), url_fetcher=_static_only())


def _print_stylesheets(html: str) -> list[Any]:
    """The parsed stylesheets a page links to for print, in order."""
    sheets = []
    for url, media in STYLESHEET.findall(html):
        if media and not {"all", "print"} & {m.strip() for m in media.split(",")}:
            continue
        path = _static_file(url)
        sheets.append(_parsed_stylesheet(url, path, path.stat().st_mtime_ns))
    return sheets


def html_to_pdf(html: str) -> bytes:
    """A page of the app as PDF, rendered by WeasyPrint with the app's own stylesheets only."""
    from weasyprint import HTML

    # Parsing main.css and print.css took a tenth of every PDF: the links are taken out and
    # their stylesheets given already parsed, in the same order (as WeasyPrint's "user"
    # stylesheets, which cascade as the linked ones did: the page has no other styles).
    page = HTML(string=STYLESHEET.sub("", html), base_url=BASE, url_fetcher=_static_only())
    return page.write_pdf(stylesheets=_print_stylesheets(html))


def visit_summary_pdf(item: Submission) -> bytes:
    """The visit summary as PDF, rendered by WeasyPrint from the same page and stylesheets;
    the stored PDF when the printout has not changed since (pdf_cache)."""
    html = visit_summary_html(item, for_pdf=True)
    key = printout_key(html, [_static_file(url) for url, _ in STYLESHEET.findall(html)])
    return cached_pdf(item.id, key, lambda: html_to_pdf(html))


@bp.get("/submissions/<int:submission_id>/summary.pdf")
@clinician_required
def summary_pdf(submission_id: int) -> Response:
    """Download the visit summary as a PDF."""
    item = db.get_or_404(Submission, submission_id)
    pdf = visit_summary_pdf(item)
    audit_here("pdf", item.id)
    db.session.commit()
    return Response(
        pdf,
        mimetype="application/pdf",
        headers={"Content-Disposition": "attachment; filename=visit-summary.pdf"},
    )


def _csv_row(item: Submission) -> list[Any]:
    scores = item.scores
    pcl5, ybocs = scores.get("pcl5") or {}, scores.get("ybocs_reported") or {}
    return [
        item.reference,
        item.created_at.isoformat(timespec="seconds"),
        item.language,
        item.status,
        item.highest_level or "",
        " ".join(row.flag_id for row in item.flag_rows),
        scores["phq9"]["total"], scores["phq9"]["band"],
        scores["gad7"]["total"], scores["gad7"]["band"],
        pcl5.get("total", ""), pcl5.get("at_or_above_cutoff", ""),
        ybocs.get("score", ""), ybocs.get("band", ""),
    ]  # fmt: skip


@bp.get("/export.csv")
@admin_required
def export_csv() -> Response:
    """Every submission as one CSV row: codes, levels and scores; never free text."""
    audit_here("export_csv")
    db.session.commit()

    def rows() -> Any:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(CSV_COLUMNS)
        # Neither the answers nor the flags' texts are exported: never load or decrypt them.
        query = (
            select(Submission)
            .options(
                defer(Submission.answers),
                defer(Submission.flags),
                selectinload(Submission.flag_rows),
            )
            .order_by(Submission.created_at, Submission.id)
        )
        for item in db.session.scalars(query.execution_options(yield_per=500)):
            writer.writerow(_csv_row(item))
            if buffer.tell() > 64 * 1024:
                yield buffer.getvalue()
                buffer.seek(0)
                buffer.truncate()
        yield buffer.getvalue()

    return Response(
        stream_with_context(rows()),
        mimetype="text/csv",
        headers={"Content-Disposition": "attachment; filename=submissions.csv"},
    )


@bp.get("/submissions/<int:submission_id>/fhir")
@admin_required
def export_fhir(submission_id: int) -> Response:
    """One submission as a FHIR R4 Bundle: QuestionnaireResponse and score Observations."""
    from ..fhir import bundle_for

    item = db.get_or_404(Submission, submission_id)
    bundle = bundle_for(item, current_app.config["FHIR_CANONICAL_URL"])
    audit_here("export_fhir", item.id)
    db.session.commit()
    return Response(
        json.dumps(bundle, ensure_ascii=False),
        mimetype="application/fhir+json",
        headers={"Content-Disposition": "attachment; filename=submission-bundle.json"},
    )
