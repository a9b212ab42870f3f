"""The order page: buttons for what the user may do now, transitions by form, the timeline."""
from tests.conftest import csrf_token, refused_on_page
from tests.factories import department_id


def test_office_sees_dispatch_button_and_staff_do_not(orders, auth):
    pk = orders.create(username="ipb")
    office = auth.client("office", lang="zh").get(f"/workorders/show/{pk}").get_data(as_text=True)
    assert 'id="action-dispatch"' in office and "派单" in office
    staff = auth.client("ipb", lang="zh").get(f"/workorders/show/{pk}").get_data(as_text=True)
    assert 'id="action-dispatch"' not in staff and "当前状态下您没有可执行的操作" in staff


def test_dispatch_and_accept_through_the_page(app, orders, auth):
    pk = orders.create()
    office = auth.client("office", lang="ja")
    with app.app_context():
        ipb = department_id("IPB")
    resp = office.post(f"/workorders/transition/{pk}/dispatch", data={
        "department": ipb, "category": "general", "csrf_token": csrf_token(office, "/")})
    assert resp.status_code == 302 and orders.state(pk) == "dispatched"
    staff = auth.client("ipb", lang="ja")
    resp = staff.post(f"/workorders/transition/{pk}/accept",
                      data={"csrf_token": csrf_token(staff, "/")})
    assert resp.status_code == 302 and orders.state(pk) == "accepted"
    html = staff.get(f"/workorders/show/{pk}").get_data(as_text=True)
    assert "受領" in html and "振り分け" in html  # the timeline, in Japanese


def test_invalid_transition_on_the_page_is_refused_translated_and_changes_nothing(orders, auth):
    pk = orders.create()
    office = auth.client("office", lang="zh")
    resp = office.post(f"/workorders/transition/{pk}/close",
                       data={"csrf_token": csrf_token(office, "/")})
    assert "现在不能" in refused_on_page(office, resp, f"/workorders/show/{pk}")
    assert orders.state(pk) == "received"


def test_missing_field_on_the_page_is_refused(orders, auth):
    pk = orders.dispatched()
    staff = auth.client("ipb", lang="zh")
    staff.post(f"/workorders/transition/{pk}/accept", data={"csrf_token": csrf_token(staff, "/")})
    resp = staff.post(f"/workorders/transition/{pk}/resolve",
                      data={"csrf_token": csrf_token(staff, "/")})
    assert "必填" in refused_on_page(staff, resp, f"/workorders/show/{pk}")
    assert orders.state(pk) == "accepted"


def test_transition_by_get_is_refused(orders, auth):
    pk = orders.create()
    assert auth.client("office").get(f"/workorders/transition/{pk}/close").status_code == 405


def test_other_department_cannot_open_or_act_on_the_page(orders, auth):
    pk = orders.dispatched("IPB")
    edb = auth.client("edb")
    assert edb.get(f"/workorders/show/{pk}").status_code == 404
    resp = edb.post(f"/workorders/transition/{pk}/accept", data={"csrf_token": csrf_token(edb, "/")})
    assert resp.status_code == 404 and orders.state(pk) == "dispatched"


def test_hotline_form_creates_an_order_with_clocks(app, orders, auth):
    office = auth.client("office", lang="zh")
    with app.app_context():
        from app.extensions import db
        from app.registers.workorders.models import ServiceType, WorkOrder

        service_type = db.session.query(ServiceType).filter_by(code="talent").one().id
    resp = office.post("/workorders/add", data={
        "channel": "hotline", "received_at": "2026-09-18 10:00:00", "language": "ja",
        "service_type": service_type, "category": "consultation", "subject": "招聘会",
        "content": "日资企业咨询招聘会", "csrf_token": csrf_token(office, "/workorders/add")})
    assert resp.status_code == 302, resp.get_data(as_text=True)[:300]
    with app.app_context():
        order = db.session.query(WorkOrder).filter_by(subject="招聘会").one()
        pk = order.id
        assert order.received_at.hour == 2  # 10:00 in Shanghai is 02:00 UTC
    assert orders.clock(pk, "resolution")["due_at"].date().isoformat() == "2026-09-20"


def _ui(auth, clients, username):
    if username not in clients:
        clients[username] = auth.client(username, lang="zh")
    return clients[username]


def test_every_transition_through_the_page(app, orders, auth):
    """The same walk as the REST tests, by the buttons' forms, including the side paths."""
    with app.app_context():
        ipb, edb = department_id("IPB"), department_id("EDB")
    pk = orders.create()
    clients = {}
    steps = [
        ("dispatch", "office", {"department": edb, "category": "general"}, "dispatched"),
        ("return", "edb", {"reason": "不属于本部门"}, "returned"),
        ("dispatch", "office", {"department": ipb, "category": "difficult"}, "dispatched"),
        ("accept", "ipb", {}, "accepted"),
        ("request_extension", "ipb", {"days": "1", "reason": "现场核查"}, "accepted"),
        ("reject_extension", "office", {"reason": "不需要"}, "accepted"),
        ("request_extension", "ipb", {"days": "2", "reason": "再次申请"}, "accepted"),
        ("approve_extension", "office", {}, "accepted"),
        ("start", "ipb", {}, "in_progress"),
        ("wait", "ipb", {"reason": "等待材料"}, "waiting"),
        ("resume", "ipb", {}, "in_progress"),
        ("supervise", "office", {"reason": "领导督办"}, "in_progress"),
        ("resolve", "ipb", {"reply": "已办结"}, "resolved"),
        ("follow_up", "office", {"rating": "2", "attitude": "3", "quality": "2",
                                 "efficiency": "2", "comment": "不满意"}, "followed_up"),
        ("reopen", "office", {"reason": "差评整改"}, "in_progress"),
        ("resolve", "ipb", {"reply": "已整改"}, "resolved"),
        ("follow_up", "office", {"rating": "5"}, "followed_up"),
        ("close", "office", {}, "closed"),
    ]
    for action, user, data, state in steps:
        client = _ui(auth, clients, user)
        html = client.get(f"/workorders/show/{pk}").get_data(as_text=True)
        assert f'id="action-{action}"' in html, (action, user)
        resp = client.post(f"/workorders/transition/{pk}/{action}",
                           data={**data, "csrf_token": csrf_token(client, "/")})
        assert resp.status_code == 302, (action, resp.status_code)
        assert orders.state(pk) == state, action
    html = _ui(auth, clients, "office").get(f"/workorders/show/{pk}").get_data(as_text=True)
    assert html.count("<tr><td>") >= len(steps) + 1  # every step is on the timeline


def test_staff_attach_a_file_and_other_departments_cannot_fetch_it(app, orders, auth):
    import io

    pk = orders.dispatched("IPB")
    staff = auth.client("ipb", lang="zh")
    resp = staff.post(f"/workorders/upload/{pk}", content_type="multipart/form-data", data={
        "file": (io.BytesIO("现场照片".encode()), "照片说明.txt"),
        "csrf_token": csrf_token(staff, "/")})
    assert resp.status_code == 302
    html = staff.get(f"/workorders/show/{pk}").get_data(as_text=True)
    assert "照片说明.txt" in html and "已添加附件" in html
    with app.app_context():
        from app.extensions import db
        from app.registers.workorders.models import WorkOrderAttachment

        attachment_id = db.session.query(WorkOrderAttachment.id).filter_by(order_id=pk).scalar()
    assert staff.get(f"/workorders/attachment/{attachment_id}").data == "现场照片".encode()
    assert auth.client("edb").get(f"/workorders/attachment/{attachment_id}").status_code == 404


def test_upload_without_a_file_is_refused_on_the_page(orders, auth):
    pk = orders.dispatched("IPB")
    staff = auth.client("ipb", lang="ja")
    resp = staff.post(f"/workorders/upload/{pk}", data={"csrf_token": csrf_token(staff, "/")})
    assert "alert-danger" in refused_on_page(staff, resp, f"/workorders/show/{pk}")


def test_order_page_shows_due_as_end_of_day_and_no_none(orders, auth):
    pk = orders.create(received_at="2026-09-18T10:00", category="consultation")
    html = auth.client("office", lang="zh").get(f"/workorders/show/{pk}").get_data(as_text=True)
    assert "2026-09-20 24:00" in html          # end of the Sunday make-up working day
    assert ">None<" not in html.replace(" ", "").replace("\n", "")


def _resolved(orders):
    pk = orders.dispatched("IPB")
    for action, data in [("accept", {}), ("resolve", {"reply": "已答复"})]:
        assert orders.act(pk, action, "ipb", **data).status_code == 200
    return pk


def test_follow_up_form_preselects_no_rating_or_score(orders, auth):
    import re

    pk = _resolved(orders)
    html = auth.client("office", lang="zh").get(f"/workorders/show/{pk}").get_data(as_text=True)
    form = html.split('id="action-follow_up"')[1].split("</form>")[0]
    for name in ("rating", "attitude", "quality", "efficiency"):
        options = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', form, re.S).group(1)
        first, *rest = re.findall(r"<option[^>]*>[^<]*", options)
        assert 'value=""' in first and "— 请选择 —" in first, name
        assert not any("selected" in option for option in rest), name
    assert re.search(r'<select[^>]*name="rating"[^>]*required', form)


def test_follow_up_without_a_rating_is_refused_with_a_translated_message(orders, auth):
    pk = _resolved(orders)
    office = auth.client("office", lang="ja")
    resp = office.post(f"/workorders/transition/{pk}/follow_up", data={
        "rating": "", "attitude": "", "quality": "", "efficiency": "", "comment": "",
        "csrf_token": csrf_token(office, "/")})
    assert "必須項目です" in refused_on_page(office, resp, f"/workorders/show/{pk}")
    assert orders.state(pk) == "resolved"
    resp = office.post(f"/workorders/transition/{pk}/follow_up", data={
        "rating": "4", "attitude": "", "quality": "5", "efficiency": "",
        "csrf_token": csrf_token(office, "/")})
    assert resp.status_code == 302 and orders.state(pk) == "followed_up"


def test_dispatch_form_preselects_no_department_and_a_dispatch_without_one_is_refused(orders, auth):
    """A dispatcher who clicks Dispatch without choosing must not send the order to whichever
    department the list starts with."""
    import re

    pk = orders.create()
    office = auth.client("office", lang="ja")
    html = office.get(f"/workorders/show/{pk}").get_data(as_text=True)
    form = html.split('id="action-dispatch"')[1].split("</form>")[0]
    options = re.search(r'<select[^>]*name="department"[^>]*>(.*?)</select>', form, re.S).group(1)
    first, *rest = re.findall(r"<option[^>]*>[^<]*", options)
    assert 'value=""' in first and not any("selected" in option for option in rest)
    assert '<label for="dispatch-department">担当部門</label>' in form
    resp = office.post(f"/workorders/transition/{pk}/dispatch", data={
        "department": "", "category": "general", "csrf_token": csrf_token(office, "/")})
    assert "担当部門" in refused_on_page(office, resp, f"/workorders/show/{pk}")
    assert orders.state(pk) == "received"
