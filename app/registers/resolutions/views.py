"""The resolution view's base: the register's commands, the forms' choices, and the monthly
supervision reports' page (on the resolutions' view, so that reading the reports is reading
resolutions and generating one is a write of the register: ``can_list`` / ``can_transition``).
Only reports the reader may read are listed and downloaded (their ``visible_clause``: the
Office's, and every department's for who reads them all)."""
from __future__ import annotations

import datetime as dt
import io

from flask import abort, flash, redirect, request, send_file, url_for
from flask_appbuilder import expose, has_access
from flask_appbuilder.models.sqla.filters import FilterInFunction
from flask_appbuilder.security.decorators import permission_name
from flask_babel import lazy_gettext as _
from sqlalchemy.orm import defer

from app.core.exceptions import CommandError
from app.core.scope import current_scope, visibility_clause
from app.core.timeutil import display_tz, format_display
from app.core.views import ScopedModelView, ScopedRestApi, writable_department_ids
from app.extensions import db
from app.registers.resolutions import report as reports
from app.registers.resolutions.models import SupervisionReport

# The forms offer what the commands accept: meetings the user keeps.
RELATED = {"meeting": [["department_id", FilterInFunction, writable_department_ids]]}
FILES = {"xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
         "pdf": ("application/pdf", "pdf")}


def bases(commands):
    """The view and API bases of a register of a meeting (its commands, its choices)."""

    class ViewBase(ScopedModelView):
        add_form_query_rel_fields = edit_form_query_rel_fields = RELATED

        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.commands = commands()

    class ApiBase(ScopedRestApi):
        add_query_rel_fields = edit_query_rel_fields = RELATED

        def __init__(self):
            super().__init__()
            self.commands = commands()

    return ViewBase, ApiBase


def _reports():
    query = db.session.query(SupervisionReport).options(defer(SupervisionReport.xlsx),
                                                       defer(SupervisionReport.pdf),
                                                       defer(SupervisionReport.figures))
    clause = visibility_clause(SupervisionReport)
    return query if clause is None else query.filter(clause)


class ReportRoutes:
    """The monthly supervision reports (mixed into the resolutions' view)."""

    @expose("/reports/")
    @has_access
    @permission_name("list")
    def reports(self):
        rows = (_reports().order_by(SupervisionReport.month.desc(),
                                    SupervisionReport.version.desc()).limit(120).all())
        today = dt.datetime.now(display_tz()).date()
        office = reports.office_id(db.session)
        return self.render_template(
            "resolutions/reports.html", title=_("Monthly supervision reports"), rows=rows,
            format_display=format_display,
            month=(today.replace(day=1) - dt.timedelta(days=1)).strftime("%Y-%m"),
            may_generate=(current_scope().can_write(office)
                          and self.appbuilder.sm.has_access("can_transition",
                                                            self.class_permission_name)))

    @expose("/reports/generate", methods=["POST"])
    @has_access
    @permission_name("transition")
    def generate_report(self):
        month = request.form.get("month", "").strip()
        try:
            made = reports.generate(month, new_version=bool(request.form.get("new_version")))
        except CommandError as error:
            flash(str(error.message), "danger")
            for messages in error.errors.values():
                for message in messages:
                    flash(str(message), "danger")
            return redirect(url_for(f"{self.endpoint}.reports")), 303
        flash(str(_("The report of %(month)s is kept as version %(n)s.",
                    month=made.report.month, n=made.report.version)), "success")
        return redirect(url_for(f"{self.endpoint}.reports"))

    @expose("/reports/<int:pk>/<fmt>")
    @has_access
    @permission_name("list")
    def report_file(self, pk, fmt):
        if fmt not in FILES:
            abort(404)
        row = _reports().filter(SupervisionReport.id == pk).one_or_none()
        if row is None:
            abort(404)
        mimetype, extension = FILES[fmt]
        name = f"supervision-report-{row.month}-v{row.version}.{extension}"
        return send_file(io.BytesIO(getattr(row, fmt)), mimetype=mimetype, as_attachment=True,
                         download_name=name)


def resolution_bases(commands):
    view, api = bases(commands)
    return type("ResolutionViewBase", (ReportRoutes, view), {}), api
