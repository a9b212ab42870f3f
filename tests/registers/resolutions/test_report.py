"""The monthly supervision report: its figures against hand-computed months, its immutable
stored copies (versions only when asked), its PDF (A4, Chinese font embedded, page numbers),
its queries bounded, and its page: the Office generates and downloads, another department
sees nothing."""
from __future__ import annotations

import datetime as dt
import hashlib
import io

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import event

from app.core.exceptions import ForbiddenError, TransitionError
from app.extensions import db
from app.registers.resolutions import report
from app.registers.resolutions.models import (
    InvestmentMeeting,
    Resolution,
    ResolutionProgress,
    SupervisionReport,
)
from tests.conftest import csrf_token

NOW = dt.datetime(2026, 11, 28, 1, 0, tzinfo=dt.UTC)   # 09:00 in Dalian
TODAY = dt.date(2026, 11, 28)
OCT = dt.date(2026, 10, 1)


def _add(session, ids, meeting, code, deadline, completed=None, state=None, created=None,
         text=None):
    item = Resolution(meeting=meeting, text_zh=text or f"{code}事项{deadline}",
                      handling_department_id=ids[code], department_id=ids["OFFICE"],
                      deadline=deadline, original_deadline=deadline,
                      completed_on=completed,
                      state=state or ("completed" if completed else "in_progress"),
                      created_on=created or dt.datetime(2026, 9, 11, 2))
    session.add(item)
    session.flush()
    return item


@pytest.fixture
def months(app, ids):
    """The hand-computed case (see each line); returns {name: id}."""
    with app.app_context():
        s = db.session
        meeting = InvestmentMeeting(held_on=dt.date(2026, 9, 10), name_zh="第九次投资审查会",
                                department_id=ids["OFFICE"])
        s.add(meeting)
        d = dt.date
        rows = {
            # completed in October, on time / late
            "r1": _add(s, ids, meeting, "IPB", d(2026, 10, 15), d(2026, 10, 12)),
            "r2": _add(s, ids, meeting, "IPB", d(2026, 10, 20), d(2026, 10, 23)),
            # open past its deadline at the end of October
            "r3": _add(s, ids, meeting, "EDB", d(2026, 10, 27)),
            # open, due in November
            "r4": _add(s, ids, meeting, "EDB", d(2026, 11, 20)),
            # due 30 October, completed only on 5 November: overdue in October's report
            "r5": _add(s, ids, meeting, "IPB", d(2026, 10, 30), d(2026, 11, 5)),
            # completed in September: not in October's report
            "r6": _add(s, ids, meeting, "AAB", d(2026, 9, 25), d(2026, 9, 24)),
            # cancelled: never reported
            "r7": _add(s, ids, meeting, "AAB", d(2026, 10, 28), state="cancelled"),
            # recorded in November: not in October's report; due at the end of November
            "r8": _add(s, ids, meeting, "PCB", d(2026, 11, 30),
                       created=dt.datetime(2026, 11, 10, 2)),
        }
        for on, text in ((d(2026, 10, 10), "已报送材料"), (d(2026, 10, 25), "已召开协调会"),
                         (d(2026, 11, 3), "已取得批复")):
            s.add(ResolutionProgress(resolution_id=rows["r3"].id, on=on, text=text))
        s.commit()
        out = {name: item.id for name, item in rows.items()}
        db.session.remove()
    return out


def _status(data) -> dict:
    return {row["id"]: row["status"] for row in data["rows"]}


def test_octobers_figures_are_read_at_the_end_of_october(app, ids, months):
    with app.app_context():
        data = report.figures(db.session, "2026-10", TODAY)
    m = months
    assert data["as_of"] == "2026-10-31"
    assert _status(data) == {m["r1"]: "completed", m["r2"]: "completed", m["r3"]: "overdue",
                             m["r4"]: "in_progress", m["r5"]: "overdue"}
    by_id = {row["id"]: row for row in data["rows"]}
    assert by_id[m["r1"]]["on_time"] is True and by_id[m["r2"]]["on_time"] is False
    # the latest note up to the end of the month, not November's
    assert (by_id[m["r3"]]["latest_on"], by_id[m["r3"]]["latest"]) == ("2026-10-25",
                                                                         "已召开协调会")
    departments = {d["id"]: d for d in data["departments"]}
    assert {k: departments[ids["IPB"]][k] for k in report.STATUSES + ("total",)} == \
        {"completed": 2, "overdue": 1, "due": 0, "in_progress": 0, "total": 3}
    assert {k: departments[ids["EDB"]][k] for k in report.STATUSES + ("total",)} == \
        {"completed": 0, "overdue": 1, "due": 0, "in_progress": 1, "total": 2}
    assert data["totals"] == {"completed": 2, "overdue": 2, "due": 0, "in_progress": 1,
                              "total": 5}


def test_the_current_months_figures_are_read_today_with_the_change_since_last_month(
        app, months):
    with app.app_context():
        october = report.figures(db.session, "2026-10", TODAY)
        data = report.figures(db.session, "2026-11", TODAY, october)
    m = months
    assert data["as_of"] == "2026-11-28"
    # r4 (due 20 November) is overdue now; r8 is due by the month's end; r5 completed late
    assert _status(data) == {m["r3"]: "overdue", m["r4"]: "overdue", m["r5"]: "completed",
                             m["r8"]: "due"}
    change = {row["id"]: row["change"] for row in data["rows"]}
    assert change == {m["r3"]: "same", m["r4"]: "in_progress", m["r5"]: "overdue",
                      m["r8"]: "new"}


def test_a_month_not_begun_is_refused(app, months):
    with app.app_context(), pytest.raises(report.ValidationFailed):
        report.figures(db.session, "2026-12", TODAY)


def test_a_stored_report_is_not_rewritten_by_later_changes_and_a_version_only_when_asked(
        app, months):
    with app.app_context():
        first = report.generate("2026-10", now=NOW).report
        kept = (first.id, first.pdf, first.xlsx, first.pdf_sha256)
        assert hashlib.sha256(first.pdf).hexdigest() == first.pdf_sha256
        # r3 is completed afterwards (in November) and renamed
        r3 = db.session.get(Resolution, months["r3"])
        r3.text_zh, r3.completed_on, r3.state = "改写后的事项", dt.date(2026, 11, 27), "completed"
        db.session.commit()
        with pytest.raises(TransitionError):
            report.generate("2026-10", now=NOW)
        assert db.session.query(SupervisionReport).count() == 1
        again = report.generate("2026-10", new_version=True, now=NOW).report
        assert again.version == 2
        stored = db.session.get(SupervisionReport, kept[0])
        assert (stored.id, stored.pdf, stored.xlsx, stored.pdf_sha256) == kept
        assert stored.version == 1
        # the new version shows the new text; October's status stays overdue (as of 31 Oct)
        texts = {r["id"]: (r["text"], r["status"]) for r in again.figures["rows"]}
        assert texts[months["r3"]] == ("改写后的事项", "overdue")
        # November's report reads r3 completed, a change against October's latest version
        november = report.generate("2026-11", now=NOW).report
        rows = {r["id"]: r for r in november.figures["rows"]}
        assert (rows[months["r3"]]["status"], rows[months["r3"]]["change"]) == ("completed",
                                                                               "overdue")
        assert november.pdf_sha256 != again.pdf_sha256
        db.session.remove()


def test_only_the_office_generates_a_report(app, months):
    from app.core import scope

    with app.test_request_context():
        from flask import g

        g._puwan_scope = (None, scope.Scope(read=frozenset({1}), write=frozenset({-1})))
        with pytest.raises(ForbiddenError):
            report.generate("2026-10", now=NOW)
        assert db.session.query(SupervisionReport).count() == 0


def test_the_xlsx_lists_every_resolution_by_department(app, months):
    with app.app_context():
        made = report.generate("2026-10", now=NOW).report
        book = load_workbook(io.BytesIO(made.xlsx))
        db.session.remove()
    summary = [row for row in book["汇总"].iter_rows(values_only=True)]
    assert summary[-1][1:] == (2, 2, 0, 1, 5)   # completed, overdue, due, in progress, total
    details = list(book["明细"].iter_rows(values_only=True))[1:]
    assert len(details) == 5


def test_the_pdf_is_a4_with_its_chinese_font_embedded_and_numbered_pages(app, ids):
    with app.app_context():
        meeting = InvestmentMeeting(held_on=dt.date(2026, 9, 10), name_zh="第十次投资审查会",
                                department_id=ids["OFFICE"])
        db.session.add(meeting)
        for n in range(60):
            _add(db.session, ids, meeting, ("IPB", "EDB", "AAB")[n % 3],
                 dt.date(2026, 10, 12) + dt.timedelta(days=n % 20),
                 text=f"推进大连长兴岛项目第{n}项配套工程建设并按期报送进展情况")
        db.session.commit()
        data = report.generate("2026-10", now=NOW).report.pdf
        db.session.remove()
    pdf = PdfReader(io.BytesIO(data))
    pages = len(pdf.pages)
    assert pages >= 2
    for number, page in enumerate(pdf.pages, start=1):
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert (round(width), round(height)) == (595, 842)  # A4 in points
        assert f"{number} / {pages}" in page.extract_text()
    fonts = pdf.pages[0]["/Resources"]["/Font"]
    embedded = []
    for ref in fonts.values():
        font = ref.get_object()
        descendants = font.get("/DescendantFonts")
        target = descendants[0].get_object() if descendants else font
        descriptor = target.get("/FontDescriptor")
        if descriptor is not None and "/FontFile2" in descriptor.get_object():
            embedded.append(str(target["/BaseFont"]))
    assert embedded, "no embedded TrueType font"
    assert "第九次" not in pdf.pages[0].extract_text()  # (another meeting: not a stray row)
    assert "推进大连长兴岛项目" in "".join(p.extract_text() for p in pdf.pages)


def test_the_figures_take_the_same_queries_whatever_the_number_of_resolutions(app, ids):
    def queries(n):
        with app.app_context():
            meeting = InvestmentMeeting(held_on=dt.date(2026, 9, 10), name_zh=f"会议{n}",
                                    department_id=ids["OFFICE"])
            db.session.add(meeting)
            for i in range(n):
                item = _add(db.session, ids, meeting, ("IPB", "EDB")[i % 2],
                            dt.date(2026, 10, 20), text=f"事项{n}-{i}")
                db.session.add(ResolutionProgress(resolution_id=item.id, on=OCT, text="进展"))
            db.session.commit()
            seen = []
            listener = lambda *args: seen.append(1)  # noqa: E731
            event.listen(db.engine, "before_cursor_execute", listener)
            try:
                report.figures(db.session, "2026-10", TODAY)
            finally:
                event.remove(db.engine, "before_cursor_execute", listener)
            db.session.query(Resolution).delete()
            db.session.query(InvestmentMeeting).delete()
            db.session.commit()
            db.session.remove()
        return len(seen)

    assert queries(3) == queries(30)


def test_the_office_generates_and_downloads_the_report_and_another_department_cannot(
        app, auth, months):
    office = auth.client("office", "zh")
    page = office.get("/resolutions/reports/")
    assert page.status_code == 200 and 'id="generate-form"' in page.get_data(as_text=True)
    resp = office.post("/resolutions/reports/generate",
                       data={"month": "2026-10", "csrf_token": csrf_token(office, "/")})
    assert resp.status_code == 302
    with app.app_context():
        pk = db.session.query(SupervisionReport.id).filter_by(month="2026-10").scalar()
        db.session.remove()
    pdf = office.get(f"/resolutions/reports/{pk}/pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    assert office.get(f"/resolutions/reports/{pk}/xlsx").data[:2] == b"PK"
    staff = auth.client("edb", "zh")
    assert staff.get(f"/resolutions/reports/{pk}/pdf").status_code == 404
    assert 'id="generate-form"' not in staff.get("/resolutions/reports/").get_data(as_text=True)
    refused = staff.post("/resolutions/reports/generate",
                         data={"month": "2026-11", "csrf_token": csrf_token(staff, "/")})
    assert refused.status_code in (302, 303)
    with app.app_context():
        assert db.session.query(SupervisionReport).count() == 1
        db.session.remove()


@pytest.mark.parametrize("username,shown", [("office", True), ("reader", True),
                                            ("ipb", False)])
def test_the_reports_menu_item_shows_to_the_office_and_the_zone_readers(app, auth, username,
                                                                        shown):
    html = auth.client(username, "zh").get("/").get_data(as_text=True)
    assert ('href="/resolutions/reports/"' in html) is shown
