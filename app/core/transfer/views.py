"""A register's export, import template and import pages (mixed into ScopedModelView).

Export (``can_export``): the list as the page shows it — its filters, search, order and
department isolation, its columns and labels, in the reader's language — as CSV or XLSX,
streamed, at most EXPORT_LIMIT rows. Import (``can_import``): the template, the upload, the
job's page (progress, preview, confirmation) and its progress as JSON; a job is its user's only.
"""
from __future__ import annotations

import datetime as dt
import os
import tempfile

from flask import Response, abort, g, jsonify, redirect, request, send_file, url_for
from flask_appbuilder import expose, has_access
from flask_appbuilder.security.decorators import permission_name
from flask_appbuilder.urltools import get_filter_args, get_order_args
from flask_babel import lazy_gettext as _

from app.core import fields, registry
from app.core.exceptions import CommandError
from app.core.transfer import jobs
from app.core.transfer.cells import NO, YES, Renderer, reference_for
from app.core.transfer.columns import export_columns, import_fields
from app.core.transfer.columns import labels as columns_labels
from app.core.transfer.importer import max_rows
from app.core.transfer.sheets import csv_lines, sheet_title, widths, write_xlsx

EXPORT_LIMIT = 50_000
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
KIND_HINTS = {
    "boolean": _("yes or no"),
    "date": _("a date such as 2026-11-28"),
    "instant": _("a time in Beijing time such as 2026-11-28 09:30"),
    "integer": _("a whole number"),
    "number": _("a number"),
    "decimal": _("a number"),
    "relation": _("its code or name"),
    "relations": _("their codes or names, separated by 、 or ;"),
}


def _hint(item, register) -> str:
    """What to write in an import column (the page's table of columns)."""
    if item.key in register.import_key and not item.create:
        return str(_("the record to change; empty for a new record"))
    if item.kind == "choice":
        return "、".join(str(label) for label in item.choices.values())
    if item.kind == "relation":
        target = item.target
        reference = reference_for(target)
        if reference is not None and reference.hint is not None:
            return str(reference.hint)
        if hasattr(target, "username"):
            return str(_("a user name or full name"))
        related = registry.get(target.__tablename__)
        if related is not None and related.import_key:
            names = columns_labels(related)
            return str(_("%(key)s or name", key=" · ".join(str(names.get(k, k))
                                                         for k in related.import_key)))
    return str(KIND_HINTS.get(item.kind, ""))


def _stamp() -> str:
    return dt.datetime.now().strftime("%Y%m%d-%H%M")


def _file_response(path: str, name: str, mimetype: str = XLSX):
    response = send_file(path, mimetype=mimetype, as_attachment=True, download_name=name)
    response.call_on_close(lambda: os.unlink(path))
    return response


def _temporary_path() -> str:
    handle, path = tempfile.mkstemp(prefix="puwan-")
    os.close(handle)
    return path


class TransferViewMixin:
    """Export and import routes of a register's ModelView."""

    export_columns: list[str] | None = None
    IMPORT_ROUTES = frozenset({"import_upload", "import_job", "import_progress",
                               "import_confirm", "import_template"})

    def __init__(self, **kwargs):
        # Imports map columns through the register's declaration: a view of a table no
        # register declares (e.g. the SLA hooks) has no import routes nor permission.
        if registry.get(self.datamodel.obj.__tablename__) is None:
            self.exclude_route_methods = {*self.exclude_route_methods, *self.IMPORT_ROUTES}
        super().__init__(**kwargs)

    @property
    def register(self):
        return registry.get(self.datamodel.obj.__tablename__)

    # --- export ------------------------------------------------------------------------------------
    def export_query(self):
        """The list's query: the page's filters, search and order (its default order too), the
        department criterion of the data interface; at most EXPORT_LIMIT rows."""
        get_filter_args(self._filters, disallow_if_not_in_search=False)
        order_column, order_direction = (get_order_args().get(self.__class__.__name__)
                                         or ("", ""))
        if not order_column and self.base_order:
            order_column, order_direction = self.base_order
        filters = self._filters.get_joined_filters(self._base_filters)
        model = self.datamodel.obj
        return self.datamodel.apply_all(self.datamodel.session.query(model), filters,
                                        order_column, order_direction, page=0,
                                        page_size=EXPORT_LIMIT)

    @expose("/export/<string:fmt>")
    @has_access
    @permission_name("export")
    def export(self, fmt):
        if fmt not in ("csv", "xlsx"):
            abort(404)
        model = self.datamodel.obj
        register = self.register
        columns = export_columns(register) if register is not None else list(
            self.export_columns or self.list_columns)
        choices = register.field_values if register is not None else fields.choices(model)
        renderer = Renderer(model, choices, columns, self.formatters_columns)
        header = [str(self.label_columns.get(c, c)) for c in columns]
        rows = (renderer.row(item) for item in self.export_query().yield_per(500))
        name = f"{model.__tablename__}-{_stamp()}"
        path = _temporary_path()
        if fmt == "csv":
            # Written to a file within the request (as the XLSX is), not streamed from the
            # database: the read ends with the request, whenever the client reads the file.
            try:
                with open(path, "w", encoding="utf-8", newline="") as fh:
                    fh.writelines(csv_lines(header, rows))
            except Exception:
                os.unlink(path)
                raise
            return _file_response(path, f"{name}.csv", "text/csv; charset=utf-8")
        try:
            write_xlsx(path, str(self.list_title or model.__tablename__), header, rows)
        except Exception:
            os.unlink(path)
            raise
        return _file_response(path, f"{name}.xlsx")

    # --- import ------------------------------------------------------------------------------------
    def _import_page(self, job=None, error=None, status=200):
        register = self.register
        fields_ = import_fields(register)
        hints = {item.key: _hint(item, register) for item in fields_}
        key = [item for item in fields_ if item.key in register.import_key]
        page = self.render_template(
            "puwan/import.html", title=_("Import: %(register)s", register=register.label),
            register=register, fields=fields_, hints=hints, key=key, job=job, error=error,
            summary=(job.summary or {}) if job is not None else {},
            progress=jobs.progress_of(job) if job is not None else None,
            max_size=jobs.size_text(jobs.max_bytes()), max_rows=f"{max_rows():,}")
        return page, status

    def _job(self, job_id: int):
        job = jobs.job_for(job_id, g.user.id, self.datamodel.obj.__tablename__)
        if job is None:
            abort(404)
        return job

    @expose("/import/", methods=["GET", "POST"])
    @has_access
    @permission_name("import")
    def import_upload(self):
        """The upload form; a file sent becomes a job (its page shows the check's progress)."""
        if request.method == "GET":
            return self._import_page()
        upload = request.files.get("file")
        if upload is None or not upload.filename:
            return self._import_page(error=_("Choose a file."), status=422)
        try:
            job = jobs.create_job(self.datamodel.obj.__tablename__, upload.filename,
                                  upload.stream, g.user.id)
        except CommandError as error:
            return self._import_page(error=error.message, status=error.status)
        return redirect(url_for(f"{self.endpoint}.import_job", job_id=job.id))

    @expose("/import/<int:job_id>")
    @has_access
    @permission_name("import")
    def import_job(self, job_id):
        return self._import_page(job=self._job(job_id))

    @expose("/import/<int:job_id>/progress")
    @has_access
    @permission_name("import")
    def import_progress(self, job_id):
        return jsonify(jobs.progress_of(self._job(job_id)))

    @expose("/import/<int:job_id>/confirm", methods=["POST"])
    @has_access
    @permission_name("import")
    def import_confirm(self, job_id):
        job = self._job(job_id)
        if not jobs.confirm(job):
            return self._import_page(job=job, status=409,
                                     error=_("This import is not waiting for a confirmation."))
        return redirect(url_for(f"{self.endpoint}.import_job", job_id=job.id))

    @expose("/import/template/<string:fmt>")
    @has_access
    @permission_name("import")
    def import_template(self, fmt):
        """An empty file to fill in: the import columns' labels in the reader's language; the
        XLSX also lists the values of coded columns (a second sheet) and offers them in the
        cells as a drop-down."""
        if fmt not in ("csv", "xlsx"):
            abort(404)
        register = self.register
        fields_ = import_fields(register)
        header = [str(item.label) for item in fields_]
        name = f"{register.table}-template"
        if fmt == "csv":
            response = Response("".join(csv_lines(header, [])),
                                mimetype="text/csv; charset=utf-8")
            response.headers["Content-Disposition"] = f'attachment; filename="{name}.csv"'
            return response
        path = _temporary_path()
        try:
            _template(path, str(register.label), header, fields_)
        except Exception:
            os.unlink(path)
            raise
        return _file_response(path, f"{name}.xlsx")


def _template(path: str, title: str, header: list[str], fields_) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    sheet = book.active
    sheet.title = sheet_title(title)
    sheet.append(header)
    sheet.freeze_panes = "A2"
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    values = book.create_sheet(sheet_title(str(_("Values"))))
    listed = 0
    for index, (item, width) in enumerate(zip(fields_, widths(header, []), strict=True), 1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = max(width, 12)
        if item.kind == "choice":
            options = [str(label) for label in item.choices.values()]
        elif item.kind == "boolean":
            options = [str(YES), str(NO)]
        else:
            continue
        listed += 1
        column = get_column_letter(listed)
        values.cell(row=1, column=listed, value=str(item.label)).font = Font(bold=True)
        for row, option in enumerate(options, 2):
            values.cell(row=row, column=listed, value=option)
        values.column_dimensions[column].width = max(widths([str(item.label)], [[o] for o in
                                                                                 options]))
        check = DataValidation(
            type="list", allow_blank=True,
            formula1=f"'{values.title}'!${column}$2:${column}${len(options) + 1}")
        check.add(f"{letter}2:{letter}{max_rows() + 1}")
        sheet.add_data_validation(check)
    if not listed:
        book.remove(values)
    book.save(path)
