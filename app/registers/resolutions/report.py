"""The monthly supervision report (督办情况月报) to the Management Committee (measure A2).

For a month, every resolution that was open at some time in it — completed in the month,
overdue, due in the month, or in progress — by responsible department, with its latest progress
note and the month's change against the previous month's latest stored report. Its status is
read **as of** the end of the month (today, for the current month): completion and progress
dated after it do not count, so the figures of a past month do not depend on when it is
generated. Cancelled resolutions are left out.

The files are in Chinese, the committee's language; for a reader in Japanese or English each
heading carries their language after the Chinese ("完成 / 完了"). Generated on demand by the
Office and stored (``SupervisionReport``): the XLSX and the PDF bytes with their SHA-256, never
rewritten; generating the month again adds a version only when asked.
"""
from __future__ import annotations

import calendar as month_calendar
import datetime as dt
import hashlib
import io
from collections import Counter, defaultdict
from dataclasses import dataclass

from flask import current_app
from flask_babel import force_locale, get_locale
from flask_babel import lazy_gettext as _
from sqlalchemy import func
from sqlalchemy.orm import joinedload

from app.core.exceptions import ForbiddenError, TransitionError, ValidationFailed
from app.core.models import Department, current_actor
from app.core.scope import current_scope
from app.core.timeutil import display_tz
from app.extensions import db
from app.registers.resolutions.models import (
    Resolution,
    ResolutionProgress,
    SupervisionReport,
)

DEFAULT_FONT = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"
STATUSES = ("completed", "overdue", "due", "in_progress")
STATUS_LABELS = {
    "completed": _("Completed this month"),
    "overdue": _("Overdue"),
    "due": _("Due this month"),
    "in_progress": _("In progress"),
}
CHANGES = {
    "new": _("New this month"),
    "same": _("Unchanged"),
}
TERMS = {
    "title": _("Monthly supervision report on investment review resolutions"),
    "month": _("Month"), "as_of": _("As of"), "department": _("Responsible department"),
    "total": _("Total"), "resolution": _("Resolution"), "meeting": _("Meeting"),
    "project": _("Project"), "deadline": _("Deadline"), "status": _("Status"),
    "completed_on": _("Completed on"), "on_time": _("On time"), "latest": _("Latest progress"),
    "change": _("Change since last month"), "summary": _("By department"),
    "details": _("Resolutions"), "yes": _("Yes"), "no": _("No"),
    "extended": _("extended from %(day)s"), "version": _("Version"),
}


# --- the figures ---------------------------------------------------------------------------
def month_bounds(month: str) -> tuple[dt.date, dt.date]:
    try:
        year, number = (int(part) for part in month.split("-"))
        first = dt.date(year, number, 1)
    except (TypeError, ValueError):
        raise ValidationFailed(errors={"month": [_("Not a valid month: %(value)s (use YYYY-MM).",
                                                   value=month)]}) from None
    return first, first.replace(day=month_calendar.monthrange(year, number)[1])


def previous_month(month: str) -> str:
    first, _last = month_bounds(month)
    return (first - dt.timedelta(days=1)).strftime("%Y-%m")


def status_of(resolution: Resolution, as_of: dt.date, last: dt.date) -> str:
    """completed (in the month) / overdue / due (by ``last``, the month's end) / in_progress,
    as of ``as_of``: a resolution is overdue the day after its deadline."""
    if resolution.completed_on is not None and resolution.completed_on <= as_of:
        return "completed"
    if resolution.deadline < as_of:
        return "overdue"
    return "due" if resolution.deadline <= last else "in_progress"


def figures(session, month: str, today: dt.date, previous: dict | None = None) -> dict:
    """What the report shows (JSON, stored with it). Three queries whatever the number of
    resolutions: the resolutions with their meeting, project and departments, their progress
    up to the as-of day, and the department names."""
    first, last = month_bounds(month)
    if first > today:
        raise ValidationFailed(errors={"month": [_("The month has not begun yet.")]})
    as_of = min(last, today)
    created_by = dt.datetime.combine(as_of + dt.timedelta(days=1), dt.time(),
                                     tzinfo=display_tz()).astimezone(dt.UTC).replace(tzinfo=None)
    rows = (session.query(Resolution)
            .options(joinedload(Resolution.meeting), joinedload(Resolution.project),
                     joinedload(Resolution.handling_department))
            .filter(Resolution.state != "cancelled", Resolution.created_on < created_by,
                    Resolution.completed_on.is_(None) | (Resolution.completed_on >= first))
            .order_by(Resolution.handling_department_id, Resolution.deadline, Resolution.id)
            .all())
    latest: dict[int, ResolutionProgress] = {}
    if rows:
        for progress in (session.query(ResolutionProgress)
                         .filter(ResolutionProgress.resolution_id.in_([r.id for r in rows]),
                                 ResolutionProgress.on <= as_of)
                         .order_by(ResolutionProgress.on, ResolutionProgress.id)):
            latest[progress.resolution_id] = progress
    before = {row["id"]: row["status"] for row in (previous or {}).get("rows", [])}
    out_rows, counts = [], defaultdict(Counter)
    for r in rows:
        status = status_of(r, as_of, last)
        note = latest.get(r.id)
        out_rows.append({
            "id": r.id, "text": r.text_zh, "meeting": str(r.meeting.name_zh),
            "meeting_on": r.meeting.held_on.isoformat(),
            "project": r.project.name_zh if r.project is not None else "",
            "department_id": r.handling_department_id,
            "department": r.handling_department.name_zh,
            "deadline": r.deadline.isoformat(),
            "original_deadline": (r.original_deadline.isoformat()
                                  if r.extended else None),
            "status": status,
            "completed_on": (r.completed_on.isoformat() if status == "completed" else None),
            "on_time": (r.completed_on <= r.deadline) if status == "completed" else None,
            "latest_on": note.on.isoformat() if note is not None else None,
            "latest": note.text if note is not None else "",
            "change": ("new" if r.id not in before else
                       "same" if before[r.id] == status else before[r.id]),
        })
        counts[(r.handling_department_id, r.handling_department.name_zh)][status] += 1
    departments = [{"id": dep_id, "name": name, "total": sum(c.values()),
                    **{s: c.get(s, 0) for s in STATUSES}}
                   for (dep_id, name), c in sorted(counts.items())]
    totals = {s: sum(d[s] for d in departments) for s in STATUSES}
    totals["total"] = len(out_rows)
    return {"month": month, "as_of": as_of.isoformat(), "rows": out_rows,
            "departments": departments, "totals": totals}


# --- labels: Chinese, and the reader's language beside it ------------------------------------
def label(message, **values) -> str:
    with force_locale("zh"):
        zh = str(message) % values if values else str(message)
    locale = str(get_locale() or "zh")
    if locale.startswith("zh"):
        return zh
    other = str(message) % values if values else str(message)
    return zh if other == zh else f"{zh} / {other}"


def status_label(code: str) -> str:
    return label(STATUS_LABELS.get(code) or CHANGES.get(code) or code)


def change_label(change: str) -> str:
    if change in CHANGES:
        return label(CHANGES[change])
    return f"{status_label(change)} →"


# --- the files -----------------------------------------------------------------------------
def to_xlsx(data: dict) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    summary = book.active
    summary.title = "汇总"
    summary.append([label(TERMS["title"])])
    summary.append([label(TERMS["month"]), data["month"], label(TERMS["as_of"]), data["as_of"]])
    summary.append([])
    summary.append([label(TERMS["department"]), *(status_label(s) for s in STATUSES),
                    label(TERMS["total"])])
    for d in data["departments"]:
        summary.append([d["name"], *(d[s] for s in STATUSES), d["total"]])
    summary.append([label(TERMS["total"]), *(data["totals"][s] for s in STATUSES),
                    data["totals"]["total"]])
    for cell in summary[4]:
        cell.font = Font(bold=True)
    details = book.create_sheet("明细")
    details.append([label(TERMS[key]) for key in ("department", "resolution", "meeting",
                                                  "project", "deadline", "status",
                                                  "completed_on", "on_time", "latest",
                                                  "change")])
    for r in data["rows"]:
        details.append([r["department"], r["text"], f"{r['meeting_on']} {r['meeting']}",
                        r["project"], _deadline_text(r), status_label(r["status"]),
                        r["completed_on"] or "", _on_time_text(r),
                        f"{r['latest_on']} {r['latest']}" if r["latest_on"] else "",
                        change_label(r["change"])])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _deadline_text(row: dict) -> str:
    if row["original_deadline"]:
        return f"{row['deadline']} ({label(TERMS['extended'], day=row['original_deadline'])})"
    return row["deadline"]


def _on_time_text(row: dict) -> str:
    if row["on_time"] is None:
        return ""
    return label(TERMS["yes"] if row["on_time"] else TERMS["no"])


_FONT = "PuwanCJK"


def _font() -> str:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if _FONT not in pdfmetrics.getRegisteredFontNames():
        path = current_app.config.get("REPORT_FONT_PATH") or DEFAULT_FONT
        pdfmetrics.registerFont(TTFont(_FONT, path, subfontIndex=0))
    return _FONT


def to_pdf(data: dict) -> bytes:
    """A4 portrait, the CJK font embedded (a subset), "page n / N" at the foot of each page."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfgen.canvas import Canvas
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    font = _font()

    class NumberedCanvas(Canvas):
        """Keeps the pages until the end so that each can say how many there are."""

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._pages = []

        def showPage(self):  # noqa: N802 (reportlab's name)
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                self.setFont(font, 8)
                # (numbers only: read the same in every language)
                self.drawCentredString(A4[0] / 2, 10 * mm, f"— {self._pageNumber} / {total} —")
                super().showPage()
            super().save()

    text = ParagraphStyle("text", fontName=font, fontSize=8, leading=10, wordWrap="CJK")
    heading = ParagraphStyle("heading", fontName=font, fontSize=14, leading=18,
                             wordWrap="CJK")
    sub = ParagraphStyle("sub", fontName=font, fontSize=11, leading=14, wordWrap="CJK",
                         spaceBefore=6, spaceAfter=4)

    def p(value) -> Paragraph:
        escaped = (str(value or "").replace("&", "&amp;").replace("<", "&lt;")
                   .replace(">", "&gt;"))
        return Paragraph(escaped, text)

    style = TableStyle([("FONTNAME", (0, 0), (-1, -1), font),
                        ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
                        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef5")),
                        ("VALIGN", (0, 0), (-1, -1), "TOP")])
    story = [Paragraph(label(TERMS["title"]), heading),
             Paragraph(f"{label(TERMS['month'])}: {data['month']}　"
                       f"{label(TERMS['as_of'])}: {data['as_of']}", text),
             Spacer(1, 4 * mm), Paragraph(label(TERMS["summary"]), sub)]
    summary = [[p(label(TERMS["department"])), *(p(status_label(s)) for s in STATUSES),
                p(label(TERMS["total"]))]]
    summary += [[p(d["name"]), *(p(d[s]) for s in STATUSES), p(d["total"])]
                for d in data["departments"]]
    summary.append([p(label(TERMS["total"])), *(p(data["totals"][s]) for s in STATUSES),
                    p(data["totals"]["total"])])
    story.append(Table(summary, colWidths=[50 * mm] + [22 * mm] * 5, repeatRows=1,
                       style=style))
    story.append(Paragraph(label(TERMS["details"]), sub))
    detail = [[p(label(TERMS[k])) for k in ("department", "resolution", "deadline", "status",
                                             "latest", "change")]]
    detail += [[p(r["department"]), p(f"{r['text']}（{r['meeting_on']} {r['meeting']}"
                                      f"{'；' + r['project'] if r['project'] else ''}）"),
                p(_deadline_text(r)),
                p(status_label(r["status"]) + (f" {r['completed_on']} {_on_time_text(r)}"
                                               if r["completed_on"] else "")),
                p(f"{r['latest_on']} {r['latest']}" if r["latest_on"] else "—"),
                p(change_label(r["change"]))] for r in data["rows"]]
    story.append(Table(detail, colWidths=[24 * mm, 58 * mm, 22 * mm, 22 * mm, 40 * mm,
                                          20 * mm], repeatRows=1, style=style))
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=A4, leftMargin=12 * mm, rightMargin=12 * mm,
                            topMargin=14 * mm, bottomMargin=18 * mm, title=label(TERMS["title"]),
                            invariant=1)
    doc.build(story, canvasmaker=NumberedCanvas)
    return out.getvalue()


# --- the stored copies ---------------------------------------------------------------------
@dataclass
class Generated:
    report: SupervisionReport
    created: bool


def office_id(session) -> int | None:
    return session.query(Department.id).filter_by(code="OFFICE").scalar()


def generate(month: str, *, new_version: bool = False, now: dt.datetime | None = None
             ) -> Generated:
    """The month's stored report: made now if there is none, or a new version if asked; an
    existing one is returned unchanged otherwise (409 if a new version is not asked for)."""
    session = db.session
    office = office_id(session)
    if not current_scope().can_write(office):
        raise ForbiddenError(_("Only the Management Committee Office may do this."))
    now = now or dt.datetime.now(dt.UTC)
    today = now.astimezone(display_tz()).date()
    first, _last = month_bounds(month)
    month = first.strftime("%Y-%m")
    latest = (session.query(SupervisionReport).filter_by(month=month)
              .order_by(SupervisionReport.version.desc()).first())
    if latest is not None and not new_version:
        raise TransitionError(_("The report of %(month)s is already kept (version %(n)s); "
                                "ask for a new version to generate it again.",
                                month=month, n=latest.version))
    previous = (session.query(SupervisionReport).filter_by(month=previous_month(month))
                .order_by(SupervisionReport.version.desc()).first())
    data = figures(session, month, today, previous.figures if previous is not None else None)
    xlsx, pdf = to_xlsx(data), to_pdf(data)
    version = (session.query(func.max(SupervisionReport.version)).filter_by(month=month)
               .scalar() or 0) + 1
    report = SupervisionReport(
        month=month, version=version, department_id=office,
        generated_at=now.astimezone(dt.UTC).replace(tzinfo=None),
        generated_by_id=getattr(current_actor(), "id", None), figures=data,
        xlsx=xlsx, pdf=pdf, xlsx_sha256=hashlib.sha256(xlsx).hexdigest(),
        pdf_sha256=hashlib.sha256(pdf).hexdigest())
    session.add(report)
    session.commit()
    return Generated(report, True)
