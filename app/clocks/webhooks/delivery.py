"""Deliveries: made once per hook and transition in the outbox's claiming transaction, then
posted, signed, by whoever sends first — each attempt claimed, failures retried with backoff.

See the package's docstring for what a receiver gets. Standard library only (http.client).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import http.client
import json
import ssl
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

from flask import current_app, has_app_context
from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from app.clocks.models import SlaClock, SlaTransition
from app.clocks.webhooks import targets
from app.clocks.webhooks.models import Hook, HookDelivery
from app.core.models import Department

BATCH = 100
# A delivery being posted is its sender's for this long; one whose sender died is then retried.
CLAIM = dt.timedelta(minutes=5)
ANSWER_LENGTH = 500
USER_AGENT = "Puwan-Hooks/1"
# Failures after which the same target is not tried again in this run (the next sweep will).
UNREACHABLE = ("connection", "timeout")


def utc(moment: dt.datetime) -> dt.datetime:
    """Naive UTC, as stored (``now`` comes aware from commands, naive from the sweep)."""
    return moment.astimezone(dt.UTC).replace(tzinfo=None) if moment.tzinfo else moment


def iso(moment: dt.datetime) -> str:
    return utc(moment).isoformat(timespec="seconds") + "Z"


def _setting(name: str, default):
    return current_app.config.get(name, default) if has_app_context() else default


# --- making deliveries (inside the outbox's claiming transaction) -------------------------------
def enqueue(session: Session, transition_ids: Iterable[int], now: dt.datetime,
            subject_labels: Callable[[set], dict]) -> list[int]:
    """One pending delivery per (matching active hook, transition); returns their ids.

    ``subject_labels({(table, id), …})`` names the records (e.g. an order's ticket); it is asked
    only when some hook matches."""
    hooks = session.query(Hook).filter(Hook.active.is_(True)).order_by(Hook.id).all()
    if not hooks:
        return []
    rows = session.execute(
        select(SlaTransition.id, SlaTransition.old_state, SlaTransition.new_state,
               SlaTransition.at, SlaClock.subject_type, SlaClock.subject_id, SlaClock.name,
               Department.code)
        .join(SlaClock, SlaClock.id == SlaTransition.clock_id)
        .outerjoin(Department, Department.id == SlaClock.department_id)
        .where(SlaTransition.id.in_(list(transition_ids)))
        .order_by(SlaTransition.id)).all()
    matched = [(hook, row) for row in rows for hook in hooks
               if hook.matches(row.subject_type, row.name, row.new_state)]
    if not matched:
        return []
    labels = subject_labels({(row.subject_type, row.subject_id) for _hook, row in matched})
    now = utc(now)
    values = [{
        "hook_id": hook.id, "transition_id": row.id, "status": "pending", "attempts": 0,
        "created_at": now, "next_attempt_at": now,
        "event": {
            "event": f"sla.{row.new_state}", "hook": {"id": hook.id, "name": hook.name},
            "register": row.subject_type,
            "subject": {"id": row.subject_id,
                        "label": labels.get((row.subject_type, row.subject_id))},
            "clock": row.name, "old_state": row.old_state, "new_state": row.new_state,
            "transition_id": row.id, "at": iso(row.at), "department": row.code,
        },
    } for hook, row in matched]
    return list(session.execute(insert(HookDelivery).returning(HookDelivery.id),
                                values).scalars())


# --- signing and posting --------------------------------------------------------------------------
def body_of(delivery_id: int, event: dict) -> bytes:
    return json.dumps({"id": delivery_id, **event}, ensure_ascii=False,
                      separators=(",", ":")).encode("utf-8")


def signature(secret: str, timestamp: str, body: bytes) -> str:
    digest = hmac.new(secret.encode("utf-8"), timestamp.encode("ascii") + b"." + body,
                      hashlib.sha256)
    return "sha256=" + digest.hexdigest()


@dataclass(frozen=True)
class Outcome:
    """One attempt: ``status`` the receiver's HTTP status; ``error`` why it failed otherwise
    (url, not_allowed, address, connection, timeout, redirect, http); ``final``: not worth
    retrying (the target is refused)."""

    ok: bool
    status: int | None = None
    error: str | None = None
    answer: str = ""
    final: bool = False  # (once recorded: the delivery has failed for good)


class _PinnedHTTP(http.client.HTTPConnection):
    """Connects to the address the allow-list check resolved (no second lookup)."""

    def __init__(self, host, port, address, timeout):
        super().__init__(host, port, timeout=timeout)
        self.address = address

    def connect(self):
        self.sock = self._create_connection((self.address, self.port), self.timeout)


class _PinnedHTTPS(http.client.HTTPSConnection):
    def __init__(self, host, port, address, timeout):
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self.address = address

    def connect(self):
        sock = self._create_connection((self.address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def post(url: str, secret: str, delivery_id: int, event: dict) -> Outcome:
    """One signed POST; redirects are not followed, proxies not used."""
    try:
        target = targets.check(url)
        address = targets.resolve(target)
    except targets.TargetRefused as refused:
        return Outcome(False, error=refused.code, answer=url[:ANSWER_LENGTH], final=True)
    except OSError as exc:  # the host name did not resolve
        return Outcome(False, error="connection", answer=str(exc)[:ANSWER_LENGTH])
    body = body_of(delivery_id, event)
    timestamp = str(int(time.time()))
    headers = {
        "Content-Type": "application/json; charset=utf-8", "User-Agent": USER_AGENT,
        "X-Puwan-Event": event.get("event", ""), "X-Puwan-Delivery": str(delivery_id),
        "X-Puwan-Timestamp": timestamp, "X-Puwan-Signature": signature(secret, timestamp, body),
    }
    kind = _PinnedHTTPS if target.scheme == "https" else _PinnedHTTP
    connection = kind(target.host, target.port, address, float(_setting("HOOK_TIMEOUT", 5)))
    try:
        connection.request("POST", target.path, body=body, headers=headers)
        response = connection.getresponse()
        answer = response.read(ANSWER_LENGTH).decode("utf-8", "replace").strip()
    except TimeoutError as exc:
        return Outcome(False, error="timeout", answer=str(exc)[:ANSWER_LENGTH])
    except (OSError, http.client.HTTPException) as exc:
        detail = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
        return Outcome(False, error="connection", answer=detail[:ANSWER_LENGTH])
    finally:
        connection.close()
    status = response.status
    if 200 <= status < 300:
        return Outcome(True, status=status, answer=answer)
    return Outcome(False, status=status, error="redirect" if 300 <= status < 400 else "http",
                   answer=answer)


# --- sending pending deliveries -------------------------------------------------------------------
def backoff(attempts: int) -> dt.timedelta:
    """The wait after the ``attempts``-th failed attempt: 1, 2, 4, 8 … minutes."""
    return dt.timedelta(minutes=2 ** max(attempts - 1, 0))


def _claim(session: Session, delivery_id: int, now: dt.datetime) -> bool:
    """Take the delivery for one attempt: an UPDATE that re-checks it is still pending and due
    (a second sender waits on the row lock on PostgreSQL, then finds it taken)."""
    claimed = session.execute(
        update(HookDelivery)
        .where(HookDelivery.id == delivery_id, HookDelivery.status == "pending",
               HookDelivery.next_attempt_at <= now)
        .values(attempts=HookDelivery.attempts + 1, next_attempt_at=now + CLAIM,
                last_attempt_at=now)
        .returning(HookDelivery.id),
        execution_options={"synchronize_session": False}).first()
    session.commit()
    return claimed is not None


def _record(session: Session, delivery_id: int, attempts: int, outcome: Outcome,
            now: dt.datetime, retry: bool) -> str:
    values = {"last_status": outcome.status, "error": outcome.error,
              "answer": outcome.answer[:ANSWER_LENGTH] or None}
    if outcome.ok:
        values.update(status="delivered", delivered_at=now, next_attempt_at=None)
    elif outcome.final or not retry or attempts >= int(_setting("HOOK_MAX_ATTEMPTS", 8)):
        values.update(status="failed", next_attempt_at=None)
    else:
        values.update(next_attempt_at=now + backoff(attempts))
    # (a Core UPDATE: a hook deleted meanwhile took its deliveries with it, nothing to record)
    session.execute(update(HookDelivery).where(HookDelivery.id == delivery_id).values(**values),
                    execution_options={"synchronize_session": False})
    session.commit()
    return values.get("status", "pending")


def send_one(session: Session, delivery_id: int, now: dt.datetime,
             retry: bool = True) -> Outcome | None:
    """One attempt at one delivery, if it is still due and no other sender took it."""
    now = utc(now)
    if not _claim(session, delivery_id, now):
        return None
    row = session.execute(
        select(HookDelivery.attempts, HookDelivery.event, Hook.target_url, Hook.secret)
        .join(Hook, Hook.id == HookDelivery.hook_id)
        .where(HookDelivery.id == delivery_id)).first()
    session.commit()  # (no transaction stays open while the receiver answers)
    if row is None:
        return None
    outcome = post(row.target_url, row.secret, delivery_id, row.event)
    status = _record(session, delivery_id, row.attempts, outcome, now, retry)
    return replace(outcome, final=status == "failed")


@dataclass
class SendReport:
    delivered: int = 0
    retrying: int = 0
    failed: int = 0

    def add(self, outcome: Outcome) -> None:
        if outcome.ok:
            self.delivered += 1
        elif outcome.final:
            self.failed += 1
        else:
            self.retrying += 1

    def __str__(self) -> str:
        return (f"{self.delivered} hook events delivered, {self.retrying} to retry, "
                f"{self.failed} failed")


def _origin(url: str) -> str:
    try:
        return targets.parse(url).host_port
    except targets.TargetRefused:
        return url


def send_due(session: Session, now: dt.datetime, ids: Iterable[int] | None = None) -> SendReport:
    """Post every pending delivery due at ``now`` of an active hook (only ``ids``, if given),
    in the order they were made. A target that cannot be reached is not tried again in this
    run: its other deliveries wait for the next sweep, which keeps a sweep short."""
    now = utc(now)
    report, down, last = SendReport(), set(), 0
    wanted = None if ids is None else sorted(ids)
    if wanted == []:
        return report
    while True:
        query = (select(HookDelivery.id, Hook.target_url)
                 .join(Hook, Hook.id == HookDelivery.hook_id)
                 .where(HookDelivery.status == "pending", HookDelivery.next_attempt_at <= now,
                        Hook.active.is_(True), HookDelivery.id > last)
                 .order_by(HookDelivery.id).limit(BATCH))
        if wanted is not None:
            query = query.where(HookDelivery.id.in_(wanted))
        rows = session.execute(query).all()
        session.commit()
        if not rows:
            return report
        for delivery_id, url in rows:
            last = delivery_id
            if _origin(url) in down:
                continue
            outcome = send_one(session, delivery_id, now)
            if outcome is None:
                continue
            report.add(outcome)
            if outcome.error in UNREACHABLE:
                down.add(_origin(url))


def send_test(session: Session, hook: Hook, now: dt.datetime) -> tuple[HookDelivery, Outcome | None]:
    """A signed "ping" to the hook's target, now, once (logged like any delivery)."""
    now = utc(now)
    delivery = HookDelivery(
        hook=hook, status="pending", attempts=0, created_at=now, next_attempt_at=now,
        event={"event": "ping", "hook": {"id": hook.id, "name": hook.name}, "register": None,
               "subject": None, "clock": None, "old_state": None, "new_state": None,
               "transition_id": None, "at": iso(now), "department": None})
    session.add(delivery)
    session.commit()
    outcome = send_one(session, delivery.id, now, retry=False)
    return delivery, outcome
