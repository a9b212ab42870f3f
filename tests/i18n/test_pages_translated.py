"""Every page reached from the menu, in zh and ja, shows no untranslated UI string.

The visible text (and titles, placeholders, button labels) of each page is scanned for Latin
words; what remains after removing known data (usernames, e-mails, codes) must be empty.
"""
import re
from html.parser import HTMLParser

import pytest

from tests.conftest import USERS

# Not UI strings: product names and formats that stay as they are in every language.
ALLOWED = {"CSV", "Excel", "JSON", "API", "GB", "ID", "URL", "PDF", "XLSX"}
# Languages are listed by their own names in the picker (English, 中文, 日本語).
ALLOWED |= {"English"}
# Product names: WeChat, Open311.
ALLOWED |= {"WeChat", "Open"}
# Ticket numbers (PW-2026-000123) are data.
ALLOWED |= {"PW"}


class _Text(HTMLParser):
    def __init__(self):
        super().__init__()
        self.parts, self.links, self._skip = [], [], 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("script", "style"):
            self._skip += 1
        for name in ("title", "placeholder", "aria-label"):
            if attrs.get(name):
                self.parts.append(attrs[name])
        if tag == "input" and attrs.get("type") in ("submit", "button") and attrs.get("value"):
            self.parts.append(attrs["value"])
        if tag == "a" and attrs.get("href", "").startswith("/"):
            self.links.append(attrs["href"])

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def _data_words(app):
    words = set(ALLOWED)
    for username, (code, _role, _locale) in USERS.items():
        words |= {username, username.upper(), code, "test", "local"}
    with app.app_context():
        from flask import current_app

        sm = current_app.appbuilder.sm
        # Roles, permissions, view-menus and SLA policies show by translated labels, not by
        # their names and codes. Reference data keeps an English name column of its own.
        from app.clocks.models import SlaPolicy
        from app.core.models import Department, Measure

        for text in [p.name_en for p in sm.session.query(SlaPolicy)]:
            words |= set(re.findall(r"[A-Za-z]+", text))

        from app.registers.workorders.models import ServiceType

        for text in [d.name_en + " " + d.code for d in sm.session.query(Department)] + [
                m.title_en for m in sm.session.query(Measure)] + [
                t.name_en + " " + t.code for t in sm.session.query(ServiceType)]:
            words |= set(re.findall(r"[A-Za-z]+", text))
    return words


def _untranslated(html, data_words):
    parser = _Text()
    parser.feed(html)
    text = " ".join(parser.parts)
    text = re.sub(r"\S+@\S+", " ", text)  # e-mail addresses
    words = set(re.findall(r"[A-Za-z][A-Za-z']+", text))
    return sorted(w for w in words if w not in data_words), parser.links


def _show_links(html):
    return sorted(set(re.findall(r'href="(/enterprises/show/\d+)"', html)))


def _menu_links(html):
    return sorted(set(re.findall(r'<a[^>]+href="(/[^"#?]*/(?:list|userinfo|charts|dashboard)/?)"', html)))


@pytest.mark.parametrize("lang", ["zh", "ja"])
@pytest.mark.parametrize("username", ["ipb", "reader", "auditor", "admin"])
def test_menu_pages_have_no_untranslated_strings(app, auth, enterprises, orders, lang, username):
    pk = enterprises.create("IPB", name_zh="测试企业", secretary="ipb")
    # ... and one change through the API, so the history page has something to show.
    app.test_client().put(f"/api/v1/enterprise/{pk}", headers=auth.token("ipb"),
                          json={"name_zh": "测试企业甲", "stage": "producing"})
    enterprises.create("IPB", name_zh="无秘书企业")  # empty relations must not print "None"
    client = auth.client(username, lang=lang)
    order = orders.dispatched("IPB", received_at="2027-03-01T10:00")  # unconfirmed-year label
    orders.act(order, "accept", "ipb")
    data_words = _data_words(app)
    home = client.get("/").get_data(as_text=True)
    pages = ["/"] + _menu_links(home) + ["/users/userinfo/"]
    # The add/show/edit pages reached from the enterprise list, too.
    if "/enterprises/list/" in pages:
        pages += ["/enterprises/add"] if username in ("ipb", "admin") else []
        pages += [link for link in _show_links(client.get("/enterprises/list/").get_data(as_text=True))]
    if "/workorders/list/" in pages:
        pages += [f"/workorders/show/{order}"]
        pages += ["/workorders/add"] if username in ("ipb", "admin") else []
    problems = {}
    for path in pages:
        resp = client.get(path)
        assert resp.status_code == 200, path
        words, _links = _untranslated(resp.get_data(as_text=True), data_words)
        if words:
            problems[path] = words
    assert problems == {}


@pytest.mark.parametrize("lang", ["zh", "ja"])
def test_public_portal_is_translated(app, client, lang):
    client.get(f"/lang/{lang}")
    words, _links = _untranslated(client.get("/portal/").get_data(as_text=True), _data_words(app))
    assert words == []
