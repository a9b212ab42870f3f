"""Words where people read them: roles, permissions, SLA policies, field names, states and
names of records in the reader's language and the right word — not code names or English."""
import pytest
from flask_babel import force_locale, gettext

from tests.conftest import csrf_token, refused_on_page
from tests.factories import user_id
from tests.i18n.test_pages_translated import _Text


def _text(client, path, status=200) -> str:
    resp = client.get(path)
    assert resp.status_code == status, path
    return _page(resp)


def _page(resp) -> str:
    parser = _Text()
    parser.feed(resp.get_data(as_text=True))
    return " ".join(" ".join(parser.parts).split())


@pytest.mark.parametrize(("lang", "staff", "dispatcher"), [
    ("zh", "部门工作人员", "派单调度员"), ("ja", "部門職員", "振り分け担当")])
def test_user_pages_show_role_labels_without_brackets(app, auth, lang, staff, dispatcher):
    admin = auth.client("admin", lang=lang)
    with app.app_context():
        ipb = user_id("ipb")
    listed = _text(admin, "/users/list/")
    assert staff in listed and dispatcher in listed
    assert "[" not in listed and "Department staff" not in listed
    shown = _text(admin, f"/users/show/{ipb}")
    assert staff in shown and "[" not in shown
    assert staff in _text(auth.client("ipb", lang=lang), "/users/userinfo/")


@pytest.mark.parametrize(("lang", "add_order", "list_roles"), [
    ("zh", "工单 · 新增", "角色列表 · 查看列表"), ("ja", "案件票 · 追加", "ロール一覧 · 一覧を表示")])
def test_security_pages_name_permissions_and_views_in_the_readers_language(app, auth, lang,
                                                                           add_order,
                                                                           list_roles):
    admin = auth.client("admin", lang=lang)
    with app.app_context():
        role = app.appbuilder.sm.find_role("Dispatcher").id
    for path in (f"/roles/show/{role}", f"/roles/edit/{role}"):
        text = _text(admin, path)
        assert add_order in text and "can add" not in text and "WorkOrderView" not in text
    assert list_roles in _text(admin, f"/roles/edit/{role}")
    views = _text(admin, "/viewmenus/list/?psize_PuwanViewMenuModelView=100")
    assert "WorkOrderApi" not in views and add_order.split(" · ")[0] + "（" in views
    permissions = _text(admin, "/permissions/list/?psize_PuwanPermissionModelView=100")
    assert add_order.split(" · ")[1] in permissions and "can_add" not in permissions


@pytest.mark.parametrize(("lang", "dispatch", "general"), [
    ("zh", "派单时限", "一般类办结时限"), ("ja", "振り分け期限", "一般類の処理期限"),
    ("en", "Dispatch", "Resolution (general)")])
def test_sla_policies_and_clocks_show_policy_names_not_codes(auth, orders, lang, dispatch,
                                                             general):
    policies = _text(auth.client("admin", lang=lang), "/sla-policies/list/")
    assert dispatch in policies and general in policies
    assert "dispatch" not in policies and "rectification" not in policies
    orders.dispatched("IPB")
    clocks = _text(auth.client("office", lang=lang), "/sla-clocks/list/")
    assert general in clocks and "general" not in clocks.replace(general, "")


@pytest.mark.parametrize(("lang", "error"), [
    ("zh", "服务效率: 请给出 1 至 5 分。"), ("ja", "サービス効率: 1〜5 で評価してください。")])
def test_a_refused_action_names_the_field_by_its_label(orders, auth, lang, error):
    pk = orders.dispatched("IPB")
    for action in ("accept", "resolve"):
        orders.act(pk, action, "ipb", reply="已答复")
    office = auth.client("office", lang=lang)
    resp = office.post(f"/workorders/transition/{pk}/follow_up", data={
        "rating": "5", "efficiency": "9", "csrf_token": csrf_token(office, "/")})
    html = refused_on_page(office, resp, f"/workorders/show/{pk}")
    parser = _Text()
    parser.feed(html)
    text = " ".join(" ".join(parser.parts).split())
    assert error in text and "efficiency" not in text


@pytest.mark.parametrize(("lang", "register"), [("zh", "台账"), ("ja", "台帳")])
def test_register_reads_as_a_ledger_not_as_sign_up(app, auth, orders, lang, register):
    with app.test_request_context(), force_locale(lang):
        assert gettext("Register") == gettext("Registers") == register
    orders.create()
    for path, column in (("/history/list/", "Changed at"), ("/sla-clocks/list/", "Record")):
        with app.test_request_context(), force_locale(lang):
            column = gettext(column)
        text = _text(auth.client("auditor", lang=lang), path)
        assert f"{register} {column}" in text or f"{column} {register}" in text


def test_the_office_day_channel_is_the_deputy_directors_office_day(orders, auth):
    orders.create(channel="office_day")
    text = _text(auth.client("office", lang="zh"), "/workorders/list/")
    assert "副主任办公日" in text and "主任办公日" not in text.replace("副主任办公日", "")


def test_japanese_tells_the_contact_person_from_the_handler(app):
    with app.test_request_context(), force_locale("ja"):
        words = {gettext(w) for w in ("Contact person", "Handler", "By")}
    assert len(words) == 3


@pytest.mark.parametrize(("lang", "kept", "wrong"), [
    ("zh", "派单 按时完成", "按时办结"), ("ja", "振り分け 期限内完了", "処理完了")])
def test_a_kept_dispatch_clock_reads_right(orders, auth, lang, kept, wrong):
    pk = orders.dispatched("IPB")
    text = _text(auth.client("office", lang=lang), f"/workorders/show/{pk}")
    assert kept in text and wrong not in text


@pytest.mark.parametrize(("lang", "enterprise", "department", "service_type"), [
    ("ja", "普湾ファインケミカル株式会社", "投資促進局", "政策相談"),
    ("en", "Puwan Fine Chemicals Co., Ltd.", "Investment Promotion Bureau", "Policy consultation"),
])
def test_names_stored_in_three_languages_show_in_the_readers(enterprises, orders, auth,
                                                             lang, enterprise, department,
                                                             service_type):
    pk = enterprises.create("IPB", name_zh="普湾精细化工有限公司", name_ja="普湾ファインケミカル株式会社",
                            name_en="Puwan Fine Chemicals Co., Ltd.", japanese_funded=True)
    order = orders.dispatched("IPB", enterprise=pk)  # the dispatcher works in Chinese
    text = _text(auth.client("office", lang=lang), f"/workorders/show/{order}")
    assert enterprise in text and service_type in text and "普湾精细化工" not in text
    # the timeline's last entry: the dispatch, to the department in the reader's language
    assert text.endswith(department) and "投资促进局" not in text


@pytest.mark.parametrize(("lang", "close", "shown", "hidden"), [
    ("zh", "结案", "大连山田精密机械有限公司", "大連山田精密機械有限会社"),
    ("ja", "完結", "大連山田精密機械有限会社", "大连山田精密机械有限公司")])
def test_closing_a_case_and_enterprise_names_read_in_the_readers_words(
        auth, enterprises, lang, close, shown, hidden):
    """Closing a case is not the dialogs' "close" (关闭/閉じる); the enterprise list shows each
    name in the reader's language, not a Chinese-name column."""
    enterprises.create("OFFICE", name_zh="大连山田精密机械有限公司", name_ja="大連山田精密機械有限会社")
    office = auth.client("office", lang=lang)
    listed = _text(office, "/enterprises/list/")
    assert shown in listed and hidden not in listed
    with office.application.test_request_context(), force_locale(lang):
        from app.registers.workorders.lifecycle import TRANSITIONS

        assert str(TRANSITIONS["close"].label) == close
