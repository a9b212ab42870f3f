"""Which language a person gets: Accept-Language first, then their choice, remembered."""
from tests.conftest import csrf_token
from tests.factories import PASSWORD

TITLE = {"zh": "普湾经济区企业服务平台", "ja": "普湾経済区企業サービスプラットフォーム",
         "en": "Puwan Economic Zone Enterprise Service Platform"}


def _home(client, **kw):
    return client.get("/", **kw).get_data(as_text=True)


def test_default_language_is_chinese(client):
    assert TITLE["zh"] in _home(client)


def test_accept_language_picks_the_language_on_first_visit(client):
    assert TITLE["ja"] in _home(client, headers={"Accept-Language": "ja,en;q=0.5"})
    # ... and the session keeps it afterwards.
    assert TITLE["ja"] in _home(client)


def test_accept_language_with_region_is_understood(client):
    assert TITLE["en"] in _home(client, headers={"Accept-Language": "en-GB,en;q=0.8"})


def test_lang_ja_switches_to_japanese(client):
    client.get("/lang/ja")
    assert TITLE["ja"] in _home(client)


def test_unknown_language_is_404(client):
    assert client.get("/lang/xx").status_code == 404


def _login(app, username):
    client = app.test_client()
    token = csrf_token(client)
    client.post("/login/", data={"username": username, "password": PASSWORD, "csrf_token": token})
    return client


def test_choice_is_remembered_for_the_user(app, auth):
    first = auth.client("edb", lang="ja")
    assert TITLE["ja"] in _home(first)
    later = _login(app, "edb")  # a new browser, no session
    assert TITLE["ja"] in _home(later)


def test_japanese_window_staff_get_japanese_by_default(app):
    assert TITLE["ja"] in _home(_login(app, "jawin"))


def test_other_staff_get_chinese_by_default(app):
    assert TITLE["zh"] in _home(_login(app, "ipb2"))


def test_language_chosen_on_the_login_page_is_kept_and_remembered(app):
    client = app.test_client()
    client.get("/lang/ja")
    token = csrf_token(client)
    client.post("/login/", data={"username": "ipb2", "password": PASSWORD, "csrf_token": token})
    assert TITLE["ja"] in _home(client)
    assert TITLE["ja"] in _home(_login(app, "ipb2"))


def test_product_name_in_the_title_follows_the_language(client):
    client.get("/lang/ja")
    assert f"<title>{TITLE['ja']}" in _home(client).replace("\n", "").replace("  ", "")


def test_an_administrator_chooses_a_users_language_from_a_list(app, auth):
    import re

    from app.core.models import PuwanUser
    from app.extensions import db
    from tests.factories import user_id

    admin = auth.client("admin", lang="ja")
    with app.app_context():
        pk = user_id("ipb2")
    form = admin.get(f"/users/edit/{pk}").get_data(as_text=True)
    select = re.search(r'<select[^>]*name="locale"[^>]*>(.*?)</select>', form, re.S)
    assert select and "日本語" in select.group(1) and "ブラウザーの言語" in select.group(1)
    fields = dict(re.findall(r'<input[^>]*name="(\w+)"[^>]*value="([^"]*)"', form))
    with app.app_context():
        user = db.session.get(PuwanUser, pk)
        data = {**{k: fields.get(k, "") for k in ("first_name", "last_name", "username", "email")},
                "department": str(user.department_id), "roles": [str(r.id) for r in user.roles],
                "locale": "ja", "active": "y", "csrf_token": fields["csrf_token"]}
        db.session.remove()
    assert admin.post(f"/users/edit/{pk}", data=data).status_code == 302
    with app.app_context():
        assert db.session.get(PuwanUser, pk).locale == "ja"
        db.session.remove()
