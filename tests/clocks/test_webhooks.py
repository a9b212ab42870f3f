"""SLA hooks against a real HTTP receiver on a loopback port: signed events, sent once per hook
and transition, retried with backoff, only to allowed hosts; the admin pages and API."""
from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from app.clocks.sweep import sweep
from app.clocks.webhooks import delivery as deliveries
from app.clocks.webhooks.models import Hook, HookDelivery
from app.core.models import RecordChange
from app.extensions import db
from tests.clocks.conftest import at
from tests.conftest import csrf_token

T1 = at(2026, 11, 27, 12)  # a sweep after the order's dispatch clock ran out
RECEIVED = "2026-11-20T10:00"  # Shanghai time, as typed


class Receiver:
    """Records every request; answers 200, or as told for the next ones: "500", "drop" (closes
    the connection without an answer), "redirect" (302 to itself, elsewhere), "slow" (answers
    200 after 0.3 s)."""

    def __init__(self):
        self.requests: list[dict] = []
        self.failures: list[str] = []
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                with receiver.lock:
                    mode = receiver.failures.pop(0) if receiver.failures else "ok"
                    receiver.requests.append({"path": self.path, "headers": dict(self.headers),
                                              "body": body, "mode": mode})
                if mode == "drop":
                    self.close_connection = True
                    return
                if mode == "slow":
                    time.sleep(0.3)
                status = {"ok": 200, "slow": 200, "500": 500, "redirect": 302}[mode]
                self.send_response(status)
                if mode == "redirect":
                    self.send_header("Location", f"{receiver.url}elsewhere")
                answer = b"thanks" if status == 200 else b"receiver broke"
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.host_port = f"127.0.0.1:{self.server.server_port}"
        self.url = f"http://{self.host_port}/"

    @property
    def accepted(self) -> list[dict]:
        return [r for r in self.requests if r["mode"] == "ok"]


@pytest.fixture
def receiver():
    receiver = Receiver()
    thread = threading.Thread(target=receiver.server.serve_forever, daemon=True)
    thread.start()
    yield receiver
    receiver.server.shutdown()
    receiver.server.server_close()


@pytest.fixture
def allowed(app, receiver, monkeypatch):
    """The receiver's host and port on the allow-list."""
    monkeypatch.setitem(app.config, "HOOK_ALLOWED_HOSTS", [receiver.host_port])
    return receiver


def make_hook(app, url, **overrides) -> tuple[int, str]:
    """A hook stored as the form would store it (the form's checks are tested on their own)."""
    values = {"name": "督办系统", "subject_type": "work_order", "clock_name": "dispatch",
              "states": ["breached"], "target_url": url, "secret": deliveries_secret(),
              "active": True, **overrides}
    with app.app_context():
        hook = Hook(**values)
        db.session.add(hook)
        db.session.commit()
        result = hook.id, hook.secret
        db.session.remove()
    return result


def deliveries_secret() -> str:
    from app.clocks.webhooks.commands import new_secret

    return new_secret()


def run_sweep(app, now):
    with app.app_context():
        report = sweep(db.session, now)
        db.session.remove()
    return report


def log(app) -> list[dict]:
    with app.app_context():
        rows = [{"id": d.id, "hook_id": d.hook_id, "status": d.status, "attempts": d.attempts,
                 "last_status": d.last_status, "error": d.error, "transition_id": d.transition_id,
                 "next_attempt_at": d.next_attempt_at, "event": d.event}
                for d in db.session.query(HookDelivery).order_by(HookDelivery.id)]
        db.session.remove()
    return rows


def verified(secret: str, request: dict) -> dict:
    """What a receiver does: check the signature over "<timestamp>.<body>" and the timestamp's
    age, then read the event."""
    headers = request["headers"]
    timestamp = headers["X-Puwan-Timestamp"]
    expected = hmac.new(secret.encode(), timestamp.encode() + b"." + request["body"],
                        hashlib.sha256).hexdigest()
    assert hmac.compare_digest(f"sha256={expected}", headers["X-Puwan-Signature"])
    assert abs(time.time() - int(timestamp)) < 300
    return json.loads(request["body"])


def overdue_order(orders) -> int:
    """A work order taken in a week before T1 and never dispatched."""
    return orders.create(received_at=RECEIVED)


# --- sending ---------------------------------------------------------------------------------------
def test_breached_clock_reaches_the_receiver_once_across_a_failed_first_attempt(
        app, auth, orders, allowed):
    receiver = allowed
    hook_id, secret = make_hook(app, receiver.url + "puwan")
    order = overdue_order(orders)
    receiver.failures = ["500"]

    report = run_sweep(app, T1)
    assert (report.hooks.delivered, report.hooks.retrying) == (0, 1)
    [first] = receiver.requests
    assert first["mode"] == "500" and first["path"] == "/puwan"
    [row] = log(app)
    assert (row["status"], row["attempts"], row["last_status"]) == ("pending", 1, 500)
    assert row["next_attempt_at"] == dt.datetime(2026, 11, 27, 4, 1)  # 1 minute later (UTC)

    assert run_sweep(app, T1 + dt.timedelta(seconds=30)).hooks.delivered == 0  # not yet due
    assert len(receiver.requests) == 1
    assert run_sweep(app, T1 + dt.timedelta(minutes=1)).hooks.delivered == 1
    assert run_sweep(app, T1 + dt.timedelta(hours=2)).hooks.delivered == 0  # nothing more

    [event] = receiver.accepted
    assert len(receiver.requests) == 2
    body = verified(secret, event)
    assert body == verified(secret, first)  # the retry sends the same event ...
    assert event["headers"]["X-Puwan-Delivery"] == first["headers"]["X-Puwan-Delivery"] \
        == str(body["id"])  # ... under the same id, on which receivers dedupe
    assert event["headers"]["X-Puwan-Event"] == "sla.breached"
    with app.app_context():
        from app.registers.workorders.models import WorkOrder

        ticket = db.session.get(WorkOrder, order).ticket
    assert {k: body[k] for k in ("register", "subject", "clock", "old_state", "new_state",
                                 "department", "at")} == {
        "register": "work_order", "subject": {"id": order, "label": ticket},
        "clock": "dispatch", "old_state": "running", "new_state": "breached",
        "department": "OFFICE", "at": "2026-11-27T04:00:00Z"}
    assert body["hook"] == {"id": hook_id, "name": "督办系统"}
    [row] = log(app)
    assert (row["status"], row["attempts"], row["last_status"]) == ("delivered", 2, 200)
    assert body["transition_id"] == row["transition_id"]

    # The administrator reads the log: two attempts, delivered, in Shanghai time.
    html = auth.client("admin", lang="en").get(
        f"/hook-deliveries/list/?_flt_0_hook={hook_id}").get_data(as_text=True)
    assert f"Work orders {ticket}: Dispatch On track → Overdue" in html
    assert re.search(r"<td>\s*Delivered\s*</td>\s*<td>\s*2\s*</td>\s*<td>\s*200\s*</td>", html)


def test_unreachable_receiver_is_retried_with_growing_waits_then_failed(
        app, auth, orders, allowed, monkeypatch):
    monkeypatch.setitem(app.config, "HOOK_MAX_ATTEMPTS", 3)
    receiver = allowed
    make_hook(app, receiver.url)
    overdue_order(orders)
    receiver.failures = ["drop", "drop", "drop", "drop"]
    run_sweep(app, T1)
    [row] = log(app)
    assert (row["attempts"], row["error"]) == (1, "connection")
    assert row["next_attempt_at"] == dt.datetime(2026, 11, 27, 4, 1)
    run_sweep(app, T1 + dt.timedelta(minutes=1))
    assert log(app)[0]["next_attempt_at"] == dt.datetime(2026, 11, 27, 4, 3)  # + 2 minutes
    run_sweep(app, T1 + dt.timedelta(minutes=2))  # (not yet)
    run_sweep(app, T1 + dt.timedelta(minutes=3))
    [row] = log(app)
    assert (row["status"], row["attempts"], row["next_attempt_at"]) == ("failed", 3, None)
    run_sweep(app, T1 + dt.timedelta(days=1))
    assert len(receiver.requests) == 3
    html = auth.client("admin", lang="zh").get(
        "/hook-deliveries/list/?_flt_0_status=failed").get_data(as_text=True)
    assert "失败" in html and "无法连接" in html


@pytest.mark.parametrize("mode, last_status, error", [
    ("500", 500, "http"), ("redirect", 302, "redirect"), ("drop", None, "connection"),
    ("slow", None, "timeout"),
])
def test_each_kind_of_failure_is_logged_and_retried(app, orders, allowed, monkeypatch, mode,
                                                    last_status, error):
    # (a short timeout only for the attempt that should time out: on a busy machine a
    # healthy answer may take longer than that)
    monkeypatch.setitem(app.config, "HOOK_TIMEOUT", 0.1 if mode == "slow" else 5)
    receiver = allowed
    make_hook(app, receiver.url)
    overdue_order(orders)
    receiver.failures = [mode]
    run_sweep(app, T1)
    [row] = log(app)
    assert (row["status"], row["last_status"], row["error"]) == ("pending", last_status, error)
    assert [r["path"] for r in receiver.requests] == ["/"]  # (a redirect is never followed)
    monkeypatch.setitem(app.config, "HOOK_TIMEOUT", 5)
    assert run_sweep(app, T1 + dt.timedelta(minutes=1)).hooks.delivered == 1


def test_a_transition_made_by_a_request_is_posted_right_after_its_commit(app, orders, allowed):
    hook_id, secret = make_hook(app, allowed.url, states=["met"])
    order = orders.dispatched("IPB")  # the dispatch clock is kept: no sweep needed
    [request] = allowed.requests
    body = verified(secret, request)
    assert (body["subject"]["id"], body["clock"], body["new_state"]) == (order, "dispatch", "met")
    assert [(d["hook_id"], d["status"]) for d in log(app)] == [(hook_id, "delivered")]


def test_only_matching_active_hooks_get_an_event(app, orders, allowed):
    receiver = allowed
    wanted, _secret = make_hook(app, receiver.url + "any", name="任意时钟", clock_name=None,
                                subject_type=None, states=["warning", "breached"])
    make_hook(app, receiver.url + "warning", name="仅预警", states=["warning"])
    make_hook(app, receiver.url + "enterprise", name="企业", subject_type="enterprise")
    make_hook(app, receiver.url + "off", name="已停用", active=False)
    order = overdue_order(orders)
    run_sweep(app, T1)
    # both clocks of the order ran out (dispatch and resolution): one event each, to one hook
    assert sorted(r["path"] for r in receiver.requests) == ["/any", "/any"]
    assert {(d["hook_id"], d["event"]["clock"]) for d in log(app)} == {
        (wanted, "dispatch"), (wanted, "resolution")}
    assert {d["event"]["subject"]["id"] for d in log(app)} == {order}


def test_a_claimed_delivery_is_not_sent_by_another_sweep(app, orders, allowed):
    receiver = allowed
    make_hook(app, receiver.url)
    overdue_order(orders)
    with app.app_context():
        from app.clocks.models import SlaClock
        from app.clocks.outbox import deliver_pending
        from app.clocks.sweep import _move

        _move(db.session, "running", "breached", SlaClock.due_at, dt.datetime(2026, 11, 27, 4))
        db.session.commit()
        deliver_pending(db.session, T1, post_hooks=False)
        [row] = db.session.query(HookDelivery.id).all()
        # One sender has claimed it and is posting (or died doing so) ...
        assert deliveries._claim(db.session, row.id, deliveries.utc(T1))
        assert not deliveries._claim(db.session, row.id, deliveries.utc(T1))
        db.session.remove()
    # ... a second sweep leaves it alone, until the claim runs out.
    assert run_sweep(app, T1 + dt.timedelta(minutes=1)).hooks.delivered == 0
    assert receiver.requests == []
    assert run_sweep(app, T1 + deliveries.CLAIM).hooks.delivered == 1
    assert len(receiver.requests) == 1


def test_two_simultaneous_sweeps_post_each_delivery_once(app, orders, allowed):
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("row-level concurrency is PostgreSQL's; SQLite serialises writers")
    receiver = allowed
    make_hook(app, receiver.url, clock_name=None)
    for _n in range(6):
        overdue_order(orders)
    barrier = threading.Barrier(2)
    errors = []

    def worker():
        try:
            with app.app_context():
                barrier.wait()
                sweep(db.session, T1)
                db.session.remove()
        except Exception as exc:  # surfaced below
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    ids = [r["headers"]["X-Puwan-Delivery"] for r in receiver.requests]
    assert len(ids) == 12 and len(set(ids)) == 12


def test_hook_to_a_host_off_the_allow_list_is_never_sent(app, orders, allowed):
    receiver = allowed
    # the same receiver by another name: not on the list (saved before the list changed)
    make_hook(app, f"http://localhost:{receiver.server.server_port}/")
    overdue_order(orders)
    run_sweep(app, T1)
    run_sweep(app, T1 + dt.timedelta(hours=1))
    assert receiver.requests == []
    [row] = log(app)
    assert (row["status"], row["error"], row["attempts"]) == ("failed", "not_allowed", 1)


@pytest.mark.parametrize("url", [
    "http://localhost:{port}/", "http://127.0.0.1:1{port}/", "ftp://127.0.0.1:{port}/",
    "http://user:pw@127.0.0.1:{port}/", "http://127.0.0.1:{port}@169.254.169.254/",
])
def test_targets_off_the_allow_list_are_refused_when_sent(app, allowed, url):
    url = url.format(port=allowed.server.server_port)
    with app.app_context():
        outcome = deliveries.post(url, "secret", 1, {"event": "ping"})
    assert not outcome.ok and outcome.final and outcome.error in ("url", "not_allowed")
    assert allowed.requests == []


# --- the administrator's pages --------------------------------------------------------------------
def _form(receiver_url, **overrides) -> dict:
    return {"name": "督办系统", "subject_type": "work_order", "clock_name": "dispatch",
            "states": ["breached"], "target_url": receiver_url, "active": "y", **overrides}


def test_admin_saves_a_hook_and_sees_its_secret_once(app, auth, allowed):
    admin = auth.client("admin", lang="en")
    form = admin.get("/hooks/add").get_data(as_text=True)
    assert allowed.host_port in form  # the page says where hooks may post
    assert "X-Puwan-Signature" in form  # ... and how receivers check them
    resp = admin.post("/hooks/add", data={**_form(allowed.url), "csrf_token": csrf_token(
        admin, "/hooks/add")}, follow_redirects=True)
    assert resp.status_code == 200
    with app.app_context():
        hook = db.session.query(Hook).one()
        secret, states = hook.secret, hook.states
    assert states == ["breached"] and len(secret) == 64
    assert f'<code id="hook-secret">{secret}</code>' in resp.get_data(as_text=True)
    assert secret not in admin.get("/hooks/list/").get_data(as_text=True)  # once only
    assert secret not in admin.get(f"/hooks/show/{hook.id}").get_data(as_text=True)


@pytest.mark.parametrize("lang, message", [
    ("en", "is not on the allow-list of hook targets"),
    ("zh", "不在推送目标主机白名单中"),
    ("ja", "送信先ホストの許可リストにありません"),
])
def test_hook_to_a_host_off_the_allow_list_cannot_be_saved(app, auth, allowed, lang, message):
    admin = auth.client("admin", lang=lang)
    url = f"http://localhost:{allowed.server.server_port}/"
    resp = admin.post("/hooks/add", data={**_form(url), "csrf_token": csrf_token(
        admin, "/hooks/add")})
    assert resp.status_code == 422
    assert message in resp.get_data(as_text=True)
    with app.app_context():
        assert db.session.query(Hook).count() == 0


def test_without_an_allow_list_no_hook_can_be_saved_and_the_form_says_why(app, auth, receiver):
    admin = auth.client("admin", lang="zh")
    form = admin.get("/hooks/add").get_data(as_text=True)
    assert "系统管理员尚未配置推送目标主机白名单" in form
    resp = admin.post("/hooks/add", data={**_form(receiver.url), "csrf_token": csrf_token(
        admin, "/hooks/add")})
    assert resp.status_code == 422
    with app.app_context():
        assert db.session.query(Hook).count() == 0


def test_a_hook_whose_host_left_the_allow_list_can_only_be_switched_off(app, auth, allowed):
    url = f"http://localhost:{allowed.server.server_port}/"
    hook_id, _secret = make_hook(app, url)
    admin = auth.client("admin", lang="en")
    token = csrf_token(admin, f"/hooks/edit/{hook_id}")
    on = admin.post(f"/hooks/edit/{hook_id}", data={**_form(url), "csrf_token": token})
    assert on.status_code == 422
    off = {k: v for k, v in _form(url).items() if k != "active"}  # the box unticked
    assert admin.post(f"/hooks/edit/{hook_id}", data={**off, "csrf_token": token}
                      ).status_code == 302
    with app.app_context():
        assert db.session.get(Hook, hook_id).active is False


def test_admin_deletes_a_hook_with_its_delivery_log(app, auth, allowed):
    hook_id, _secret = make_hook(app, allowed.url)
    admin = auth.client("admin", lang="en")
    url, token = _action_form(admin.get(f"/hooks/show/{hook_id}").get_data(as_text=True),
                              "send_test")
    admin.post(url, data={"csrf_token": token})
    assert len(log(app)) == 1
    assert admin.post(f"/hooks/delete/{hook_id}", data={"csrf_token": token}).status_code == 302
    assert log(app) == []
    with app.app_context():
        assert db.session.get(Hook, hook_id) is None
        [change] = db.session.query(RecordChange).filter_by(table_name="hook").all()
        assert (change.action, change.record_id, change.before["name"]) == (
            "delete", hook_id, "督办系统")
        assert "secret" not in change.before


@pytest.mark.parametrize("username", ["ipb", "reader", "auditor", "office", "jawin"])
def test_only_administrators_reach_hooks(app, auth, allowed, username):
    hook_id, secret = make_hook(app, allowed.url)
    client = auth.client(username)
    for path in ("/hooks/list/", f"/hooks/show/{hook_id}", "/hooks/add",
                 "/hook-deliveries/list/", "/hooks/export/csv"):
        resp = client.get(path)
        assert resp.status_code in (302, 403), path
        assert secret not in resp.get_data(as_text=True)
    resp = client.post(f"/hooks/action/send_test/{hook_id}",
                       data={"csrf_token": csrf_token(client, "/")})
    assert resp.status_code in (302, 403)
    headers = auth.token(username)
    api = app.test_client()
    assert api.get("/api/v1/hook/", headers=headers).status_code in (401, 403)
    assert api.get(f"/api/v1/hook/{hook_id}", headers=headers).status_code in (401, 403)
    resp = api.post("/api/v1/hook/", headers=headers, json={
        "name": "x", "states": ["breached"], "target_url": allowed.url})
    assert resp.status_code in (401, 403)
    with app.app_context():
        assert db.session.query(Hook).count() == 1
    assert allowed.requests == []


def _action_form(html: str, name: str) -> tuple[str, str]:
    """The action's form on a record page as the browser submits it: its URL and CSRF token."""
    match = re.search(r'<form id="action_form" action="([^"]*/action/' + name + r'/\d+)"'
                      r' method="POST"[^>]*>\s*<input type="hidden" name="csrf_token" '
                      r'value="([^"]+)"', html)
    assert match, f"no {name} button"
    return match.group(1), match.group(2)


def test_send_test_event_button(app, auth, allowed):
    hook_id, secret = make_hook(app, allowed.url + "ping")
    admin = auth.client("admin", lang="en")
    page = admin.get(f"/hooks/show/{hook_id}").get_data(as_text=True)
    url, token = _action_form(page, "send_test")
    assert admin.post(url, data={}).status_code == 400  # no CSRF token, no event
    assert allowed.requests == []

    resp = admin.post(url, data={"csrf_token": token}, follow_redirects=True)
    assert "Test event delivered: the receiver answered 200." in resp.get_data(as_text=True)
    [ping] = allowed.requests
    assert ping["headers"]["X-Puwan-Event"] == "ping"
    assert verified(secret, ping)["hook"] == {"id": hook_id, "name": "督办系统"}

    allowed.failures = ["500"]
    resp = admin.post(url, data={"csrf_token": token}, follow_redirects=True)
    assert "The test event was not accepted: the receiver answered 500." in resp.get_data(
        as_text=True)
    assert [(d["status"], d["attempts"], d["last_status"]) for d in log(app)] == [
        ("delivered", 1, 200), ("failed", 1, 500)]  # logged, and not retried
    assert run_sweep(app, dt.datetime.now(dt.UTC) + dt.timedelta(hours=1)).hooks.delivered == 0


def test_secret_stays_out_of_history_exports_and_the_api(app, auth, allowed):
    admin = auth.client("admin", lang="en")
    admin.post("/hooks/add", data={**_form(allowed.url), "csrf_token": csrf_token(
        admin, "/hooks/add")})
    with app.app_context():
        hook_id, first = db.session.query(Hook.id, Hook.secret).one()
    resp = admin.post(f"/hooks/edit/{hook_id}", data={
        **_form(allowed.url, states=["warning", "breached"]),
        "csrf_token": csrf_token(admin, f"/hooks/edit/{hook_id}")})
    assert resp.status_code == 302
    url, token = _action_form(admin.get(f"/hooks/show/{hook_id}").get_data(as_text=True),
                              "rotate_secret")
    page = admin.post(url, data={"csrf_token": token}, follow_redirects=True)
    with app.app_context():
        second = db.session.get(Hook, hook_id).secret
        changes = [(c.action, json.dumps([c.before, c.after]))
                   for c in db.session.query(RecordChange).filter_by(table_name="hook")
                   .order_by(RecordChange.id)]
    assert second != first and second in page.get_data(as_text=True)  # shown once, on rotating
    assert [action for action, _values in changes] == ["create", "update", "rotate_secret"]
    history = auth.client("auditor", lang="en").get("/history/list/").get_data(as_text=True)
    assert "SLA hooks" in history and "Secret replaced" in history
    assert "When the clock becomes: Overdue → At risk, Overdue" in history
    assert "Register: Work orders" in history
    exported = admin.get("/hooks/export/csv").get_data(as_text=True)
    assert "督办系统" in exported
    headers = auth.token("admin")
    api = app.test_client()
    answers = [api.get(path, headers=headers).get_data(as_text=True) for path in (
        "/api/v1/hook/", f"/api/v1/hook/{hook_id}", "/api/v1/hook/?q=(columns:!(secret))",
        f"/api/v1/hook/{hook_id}?q=(columns:!(secret))", "/api/v1/hook/_info")]
    assert allowed.url in answers[0]
    for secret in (first, second):
        for text in [values for _action, values in changes] + [history, exported, *answers]:
            assert secret not in text


def test_secret_filter_is_not_offered(app, auth, allowed):
    """A filter on the secret would tell it letter by letter."""
    make_hook(app, allowed.url)
    admin = auth.client("admin", lang="en")
    # (no secret starts with "g": a filter that applied would hide the hook)
    assert "督办系统" in admin.get("/hooks/list/?_flt_0_secret=g").get_data(as_text=True)
    api = app.test_client()
    resp = api.get("/api/v1/hook/?q=(filters:!((col:secret,opr:sw,value:g)))",
                   headers=auth.token("admin"))
    assert resp.status_code == 400


def test_api_creates_a_hook_returning_its_secret_once(app, auth, allowed):
    headers = auth.token("admin")
    api = app.test_client()
    resp = api.post("/api/v1/hook/", headers=headers, json={
        "name": "接口", "subject_type": "work_order", "states": ["breached", "missed"],
        "target_url": allowed.url})
    assert resp.status_code == 201, resp.json
    with app.app_context():
        hook = db.session.get(Hook, resp.json["id"])
        assert resp.json["secret"] == hook.secret and hook.clock_name is None
    assert hook.secret not in api.get(f"/api/v1/hook/{resp.json['id']}",
                                      headers=headers).get_data(as_text=True)
    resp = api.post("/api/v1/hook/", headers=headers, json={
        "name": "内网", "states": ["breached"], "target_url": "http://10.0.0.1/"})
    assert resp.status_code == 422 and "target_url" in resp.json["errors"]
    resp = api.post("/api/v1/hook/", headers=headers, json={
        "name": "乱", "states": ["late"], "target_url": allowed.url})
    assert resp.status_code == 422 and "states" in resp.json["errors"]


@pytest.mark.parametrize("lang", ["zh", "ja"])
def test_hook_pages_are_translated(app, auth, orders, allowed, lang):
    from tests.i18n.test_pages_translated import _data_words, _untranslated

    hook_id, _secret = make_hook(app, allowed.url + "hook")
    overdue_order(orders)
    allowed.failures = ["drop"]
    run_sweep(app, T1)
    [row] = log(app)
    client = auth.client("admin", lang=lang)
    words = _data_words(app) | {
        # the URL and the scheme's technical names
        "http", "https", "hook", "POST", "Unix", "UTC", "JSON", "UTF", "X", "Puwan", "Timestamp", "Signature",
        "Delivery", "Event", "sha", "hex", "HMAC", "SHA", "sla", "running", "warning",
        "breached", "paused", "met", "missed", "ping", "xx", "RemoteDisconnected", "Remote",
        "end", "closed", "connection", "without", "response"}
    problems = {}
    for path in ("/hooks/list/", "/hooks/add", f"/hooks/show/{hook_id}",
                 f"/hooks/edit/{hook_id}", "/hook-deliveries/list/",
                 f"/hook-deliveries/show/{row['id']}"):
        resp = client.get(path)
        assert resp.status_code == 200, path
        untranslated, _links = _untranslated(resp.get_data(as_text=True), words)
        if untranslated:
            problems[path] = untranslated
    assert problems == {}
