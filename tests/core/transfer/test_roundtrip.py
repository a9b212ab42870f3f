"""Every register of the registry: an export of its filtered list imports back unchanged, in
CSV and Excel, and its template's headers are its import columns in the reader's language."""
import io
import itertools

import pytest
from openpyxl import load_workbook
from sqlalchemy import String

from app.core import registry
from app.core.transfer.columns import import_fields
from tests import factories
from tests.core.transfer.conftest import confirm, upload, wait
from tests.factories import sample_record, valid_uscc

REGISTERS = [register.table for register in registry.registers()]
_n = itertools.count(1)


class Make(factories.Make):
    """What a register's ``sample(make)`` asks for: unique valid values."""

    @staticmethod
    def uscc() -> str:
        return valid_uscc()

    @staticmethod
    def text(prefix: str) -> str:
        return f"{prefix}{next(_n)}"


def _records(table: str, enterprises, orders, marker: str) -> str:
    """Three records of the register in IPB: two whose text column (returned) starts with
    ``marker``, one that does not (the list's filter leaves it out)."""
    if table == "work_order":  # (no sample: orders are taken in through their API)
        for subject in (f"{marker}甲", f"{marker}乙", "其他咨询"):
            orders.create("ipb", subject=subject, channel="walk_in", category="consultation")
        return "subject"
    register = registry.get(table)
    assert register.sample is not None, f"declare a sample for {table} (or make it here)"
    factories = {"enterprise": lambda values: enterprises.create("IPB", **values)}
    make = factories.get(table, lambda values: sample_record(enterprises.app, register, "IPB",
                                                             **values))
    column = None
    for prefix in (marker, marker, "其他"):
        with enterprises.app.app_context():  # (a sample may make the records it links)
            values = register.sample(Make)
        column = column or next(  # a free-text column (not a key, no code), one the list
            # searches if there is one (the export takes the list's filters on any column)
            k for k in [*(register.search_columns or ()), *register.edit_columns]
            if isinstance(getattr(getattr(register.model, k, None), "type", None), String)
            and k not in register.import_key and k not in register.field_values)
        values[column] = f"{prefix}{values.get(column) or ''}"
        make(values)
    return column


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("table", REGISTERS)
def test_an_export_of_a_filtered_list_imports_back_unchanged(auth, enterprises, orders, table,
                                                            fmt):
    marker = f"往返{next(_n)}"
    column = _records(table, enterprises, orders, marker)
    register = registry.get(table)
    route, view = register.route, register.view_class.__name__
    # (reference data is kept by administrators: its records belong to no department)
    writer = "admin" if register.profile == registry.REFERENCE_DATA else "ipb"
    client = auth.client(writer, lang="ja")
    # the list's own arguments: a filter ("starts with", FAB's first text filter), an order
    order = (register.view_class.order_columns or ["id"])[0]
    exported = client.get(f"{route}/export/{fmt}?_flt_0_{column}={marker}"
                          f"&_oc_{view}={order}&_od_{view}=desc")
    assert exported.status_code == 200
    lines = exported.get_data().count(b"\n") if fmt == "csv" else load_workbook(
        io.BytesIO(exported.get_data())).active.max_row
    assert lines == 3  # the header and the two filtered rows

    resp = upload(client, f"{route}/import/", exported.get_data(), f"export.{fmt}")
    assert resp.status_code == 302, resp.get_data(as_text=True)[-2000:]
    state = wait(client, resp.headers["Location"])
    assert state["state"] == "ready", state
    assert state["counts"] == {"create": 0, "update": 0, "unchanged": 2, "refused": 0}
    page = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert 'id="import-nothing"' in page and 'id="import-confirm"' not in page


@pytest.mark.parametrize("lang", ["zh", "ja", "en"])
@pytest.mark.parametrize("table", REGISTERS)
def test_the_template_names_the_import_columns_in_the_readers_language(app, auth, table, lang):
    register = registry.get(table)
    # (a user who may import the register: reference data is the administrators')
    writer = "admin" if register.profile == registry.REFERENCE_DATA else "office"
    client = auth.client(writer, lang=lang)
    resp = client.get(f"{register.route}/import/template/xlsx")
    assert resp.status_code == 200
    book = load_workbook(io.BytesIO(resp.get_data()))
    header = [cell.value for cell in book.worksheets[0][1]]
    with app.test_request_context("/"):
        from flask_babel import force_locale

        with force_locale(lang):
            expected = [str(item.label) for item in import_fields(register)]
    assert header == expected and book.worksheets[0].max_row == 1  # no example row
    csv_header = client.get(f"{register.route}/import/template/csv").get_data().decode(
        "utf-8-sig").splitlines()
    assert csv_header == [",".join(expected)]


def test_the_template_lists_the_values_of_coded_columns(auth):
    book = load_workbook(io.BytesIO(auth.client("ipb", lang="zh").get(
        "/enterprises/import/template/xlsx").get_data()))
    values = book.worksheets[1]
    columns = {column[0].value: [c.value for c in column[1:] if c.value]
               for column in values.iter_cols()}
    assert columns["阶段"] == ["在建项目", "已投产"]
    assert columns["日资企业"] == ["是", "否"]
    assert "石化及新材料" in columns["行业"]
    assert book.worksheets[0].freeze_panes == "A2"


def test_work_orders_imported_get_their_tickets_clocks_and_timeline(app, auth):
    from app.clocks.models import SlaClock
    from app.extensions import db
    from app.registers.workorders.models import WorkOrder
    from tests.core.transfer.conftest import csv_bytes

    client = auth.client("office", lang="zh")
    content = csv_bytes(["渠道", "受理时间", "服务类型", "类别", "标题", "诉求内容"], [
        ["热线电话", "2026-11-28 09:30", "policy", "咨询类", "导入的工单", "请问补贴政策"],
        ["wechat", "2026/11/28 10:00", "政策咨询", "一般类", "第二张工单", "申请展位补贴"]])
    resp = upload(client, "/workorders/import/", content, "orders.csv")
    job = resp.headers["Location"]
    assert wait(client, job)["counts"]["create"] == 2, client.get(job).get_data(as_text=True)
    confirm(client, job)
    assert wait(client, job)["state"] == "done"
    with app.app_context():
        order = db.session.query(WorkOrder).filter_by(subject="导入的工单").one()
        assert order.ticket.startswith("PW-2026-") and order.state == "received"
        assert (order.channel, order.category) == ("hotline", "consultation")
        assert order.received_at.isoformat() == "2026-11-28T01:30:00"  # 09:30 in Shanghai
        assert [e.action for e in order.events] == ["receive"]
        assert {c.name for c in db.session.query(SlaClock).filter_by(
            subject_type="work_order", subject_id=order.id)} == {"dispatch", "resolution"}
        db.session.remove()


def test_a_work_orders_enterprise_by_its_code_or_name_among_those_the_user_reads(
        app, auth, enterprises):
    from app.extensions import db
    from app.registers.workorders.models import WorkOrder
    from tests.core.transfer.conftest import csv_bytes

    code = valid_uscc()
    enterprises.create("IPB", uscc=code, name_zh="工单关联企业", name_ja="関連企業")
    enterprises.create("EDB", name_zh="别处的企业")
    header = ["Channel", "Service type", "Subject", "Content", "Enterprise"]
    rows = [["hotline", "policy", "按代码", "内容", code.lower()],
            ["hotline", "policy", "按日文名", "内容", "関連企業"]]
    client = auth.client("ipb")
    job = upload(client, "/workorders/import/", csv_bytes(header, rows), "o.csv").headers["Location"]
    assert wait(client, job)["counts"]["create"] == 2
    hidden = upload(client, "/workorders/import/", csv_bytes(header, [
        ["hotline", "policy", "看不见", "内容", "别处的企业"]]), "o.csv").headers["Location"]
    assert wait(client, hidden)["state"] == "refused"
    assert "No record “别处的企业” was found." in client.get(hidden).get_data(as_text=True)
    confirm(client, job)
    assert wait(client, job)["state"] == "done"
    with app.app_context():
        assert {o.enterprise.uscc for o in db.session.query(WorkOrder)} == {code}
        db.session.remove()
