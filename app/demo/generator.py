"""`flask demo generate`: a large, realistic, reproducible data set, inserted in bulk.

Same arguments and seed → the same rows. Work orders spread over ``years`` years up to ``until``
(a date in Shanghai), over departments, channels, categories and states; each order has its
dispatch and resolution clocks (due dates from the real calendar, cached per day and policy) and
its timeline's first events. Rows go in with executemany (SQLite, synchronous off for the run)
or COPY (PostgreSQL).
"""
from __future__ import annotations

import datetime as dt
import json
import multiprocessing
import queue
import random
import time
import traceback
from collections.abc import Iterable, Sequence

from sqlalchemy import text

from app.extensions import db
from app.registers.enterprises.models import INDUSTRIES
from app.registers.enterprises.validators import uscc_check_char
from app.sla.calendar import SHANGHAI, WorkCalendar
from app.sla.clock import compute_due
from app.sla.policies import Policy, Unit

BATCH = 50_000
CHANNELS = (("hotline", 45), ("wechat", 20), ("email", 12), ("portal", 13), ("walk_in", 6),
            ("office_day", 3), ("open311", 1))
CATEGORIES = (("consultation", 40), ("general", 45), ("difficult", 15))
HANDLERS = (("IPB", 22), ("AAB", 20), ("EDB", 25), ("FIN", 10), ("PCB", 13), ("PMW", 5),
            ("OFFICE", 5))
OPEN_STATES = ("received", "dispatched", "accepted", "in_progress", "waiting")
SUBJECTS = ("咨询企业所得税优惠政策", "申请展位补贴", "办理施工许可", "融资对接需求", "招聘技术工人",
            "厂区道路维修", "环保验收咨询", "用电增容申请", "日资企业签证办理", "出口退税进度")


def _draws(rng: random.Random, pairs, k: int) -> list:
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights=weights, k=k)


class _Writer:
    """Bulk rows into a table: COPY on PostgreSQL, executemany elsewhere."""

    def __init__(self, connection):
        self.connection = connection
        self.postgres = connection.dialect.name == "postgresql"

    def write(self, table: str, columns: Sequence[str], rows: Iterable[tuple]) -> int:
        count = 0
        batch = []
        for row in rows:
            batch.append(row)
            if len(batch) >= BATCH:
                count += self._flush(table, columns, batch)
                batch = []
        if batch:
            count += self._flush(table, columns, batch)
        return count

    def _flush(self, table, columns, batch) -> int:
        if self.postgres:
            raw = self.connection.connection.driver_connection
            with raw.cursor() as cursor, cursor.copy(
                    f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in batch:
                    copy.write_row(row)
        else:
            marks = ", ".join("?" for _ in columns)
            self.connection.exec_driver_sql(
                f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", batch)
        return len(batch)


class _pipelined:
    """Iterate ``batches()`` run in a forked child process, a bounded queue between the two:
    one core makes rows while the other writes them."""

    def __init__(self, batches, summary):
        context = multiprocessing.get_context("fork")
        self.queue = context.Queue(maxsize=2)
        self.process = context.Process(target=self._produce, args=(batches, summary),
                                       daemon=True)
        self.process.start()
        self.summary = None

    def _produce(self, batches, summary) -> None:
        try:
            for batch in batches():
                self.queue.put(("batch", batch))
            self.queue.put(("done", summary()))
        except BaseException:  # noqa: BLE001 - reported to the parent, which raises it
            self.queue.put(("error", traceback.format_exc()))

    def __iter__(self):
        try:
            while True:
                try:
                    kind, payload = self.queue.get(timeout=5)
                except queue.Empty:
                    if not self.process.is_alive():
                        raise RuntimeError("the row generator process died") from None
                    continue
                if kind == "batch":
                    yield payload
                elif kind == "error":
                    raise RuntimeError(f"the row generator failed:\n{payload}")
                else:
                    self.summary = payload
                    return
        finally:
            self.process.join(timeout=10)
            if self.process.is_alive():
                self.process.terminate()


def generate(*, enterprises: int, workorders: int, seed: int = 2026, years: int = 3,
             until: dt.date | None = None, open_orders: int | None = None,
             parallel: bool = True) -> dict:
    """``open_orders``: that many of the newest orders are still open (a backlog); by default
    orders older than 20 days are done and 40% of the younger ones are open.

    ``parallel``: make the rows in a second process while this one writes them (the same rows:
    only that process draws random numbers once it has started)."""
    began = time.perf_counter()
    rng = random.Random(seed)
    until = until or dt.datetime.now(SHANGHAI).date()
    start = until - dt.timedelta(days=365 * years)
    session = db.session
    dept = dict(session.execute(text("SELECT code, id FROM department")).all())
    types = [row[0] for row in session.execute(text("SELECT id FROM service_type ORDER BY id"))]
    policies = {code: (pid, amount, unit, warning) for pid, code, amount, unit, warning in
                session.execute(text("SELECT id, code, amount, unit, warning_percent "
                                     "FROM sla_policy"))}
    next_enterprise = (session.scalar(text("SELECT max(id) FROM enterprise")) or 0) + 1
    next_order = (session.scalar(text("SELECT max(id) FROM work_order")) or 0) + 1
    next_clock = (session.scalar(text("SELECT max(id) FROM sla_clock")) or 0) + 1
    now_utc = dt.datetime.combine(until, dt.time(12), SHANGHAI).astimezone(dt.UTC)
    stamp = now_utc.replace(tzinfo=None)
    calendar = WorkCalendar()
    due_cache: dict = {}

    connection = session.connection()
    # Secondary indexes are rebuilt once after the load: much faster than row by row.
    from flask_appbuilder import Model

    indexes = [index for name in ("enterprise", "work_order", "sla_clock", "work_order_event")
               for index in Model.metadata.tables[name].indexes]
    for index in indexes:
        index.drop(connection)
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql("PRAGMA synchronous=OFF")
        connection.exec_driver_sql("PRAGMA cache_size=-262144")  # 256 MB for the bulk load
    writer = _Writer(connection)
    industry_codes = list(INDUSTRIES)
    owner_codes = [c for c in ("IPB", "AAB", "EDB", "FIN", "PCB") if c in dept]

    def enterprise_rows():
        for n in range(next_enterprise, next_enterprise + enterprises):
            body = f"91210200{n:09d}"
            yield (n, body + uscc_check_char(body), f"普湾企业{n:06d}", None, f"Puwan Co. {n}",
                   rng.random() < 0.08, rng.choice(industry_codes),
                   "producing" if rng.random() < 0.7 else "construction", rng.random() < 0.2,
                   dept[rng.choice(owner_codes)], stamp, stamp)

    counts = {"enterprises": writer.write(
        "enterprise", ("id", "uscc", "name_zh", "name_ja", "name_en", "japanese_funded",
                       "industry", "stage", "export_enterprise", "department_id", "created_on",
                       "changed_on"), enterprise_rows())}

    span = (until - start).days * 86400
    base = dt.datetime.combine(start, dt.time(0), SHANGHAI).astimezone(dt.UTC)
    enterprise_max = next_enterprise + enterprises - 1

    def flush_all(orders, clocks, events):
        counts["workorders"] = counts.get("workorders", 0) + writer.write(
            "work_order", ("id", "ticket", "channel", "received_at", "enterprise_id", "language",
                           "subject", "content", "service_type_id", "category", "state",
                           "department_id", "handling_department_id", "reply", "rating",
                           "rating_attitude", "rating_quality", "rating_efficiency",
                           "created_on", "changed_on"), orders)
        counts["clocks"] = counts.get("clocks", 0) + writer.write(
            "sla_clock", ("id", "subject_type", "subject_id", "name", "policy_id", "state",
                          "started_at", "due_at", "warn_at", "paused_seconds", "stopped_at",
                          "calendar_data", "unconfirmed", "department_id"), clocks)
        counts["events"] = counts.get("events", 0) + writer.write(
            "work_order_event", ("order_id", "at", "action", "from_state", "to_state"), events)

    empty = json.dumps({"days": [], "unconfirmed_years": []})
    categories = _draws(rng, CATEGORIES, workorders)
    handlers = [dept[code] for code in _draws(rng, HANDLERS, workorders)]
    channels = _draws(rng, CHANNELS, workorders)
    ratings = _draws(rng, ((5, 55), (4, 25), (3, 12), (2, 5), (1, 3)), workorders)
    offsets = [rng.randrange(span) for _ in range(workorders)]
    open_from = None  # orders received from this offset on are open
    if open_orders is not None:
        open_from = sorted(offsets)[-open_orders] if open_orders > 0 else span
    # The hot loop: plain random() arithmetic instead of choice()/randint(), and each instant
    # turned into text once (the drivers would do it once per column it appears in).
    draw = rng.random
    done_states = ("closed", "closed", "closed", "followed_up", "resolved")
    nudges = (-1, 0, 0, 1)
    dispatch_minutes = (8, 15, 25, 40, 55, 75)
    shares = (0.3, 0.5, 0.8, 0.95, 1.05)
    office = dept["OFFICE"]
    dispatch_policy = policies["dispatch"][0]
    base_naive = base.replace(tzinfo=None)
    hour, half_hour, six_hours = (dt.timedelta(hours=1), dt.timedelta(minutes=30),
                                  dt.timedelta(hours=6))
    to_shanghai = dt.timedelta(hours=8)  # Asia/Shanghai keeps no daylight saving time
    enterprise_span = enterprise_max - next_enterprise + 1

    def text_of(moment: dt.datetime | None):
        return None if moment is None else moment.isoformat(" ", "microseconds")

    def resolution_due(received_naive: dt.datetime, category: str) -> tuple:
        key = ((received_naive + to_shanghai).date(), category)
        if key not in due_cache:
            _pid, amount, unit, warning = policies[category]
            received = received_naive.replace(tzinfo=dt.UTC)
            due = compute_due(received, Policy(category, amount, Unit(unit), warning),
                              calendar).due_at.replace(tzinfo=None)
            due_cache[key] = (due, text_of(due))
        return due_cache[key]

    def batches():
        """The orders with their clocks and events, BATCH orders at a time."""
        orders, clocks, events = [], [], []
        for i, n in enumerate(range(next_order, next_order + workorders)):
            received = base_naive + dt.timedelta(seconds=offsets[i])
            received_text = text_of(received)
            category = categories[i]
            handler = handlers[i]
            if open_from is not None:
                state = OPEN_STATES[int(draw() * 5)] if offsets[i] >= open_from else done_states[
                    int(draw() * 5)]
            elif (stamp - received).days > 20 or draw() < 0.6:
                state = done_states[int(draw() * 5)]
            else:
                state = OPEN_STATES[int(draw() * 5)]
            dispatched = state != "received"
            due, due_text = resolution_due(received, category)
            dispatch_due = received + hour
            done = state in ("resolved", "followed_up", "closed")
            rating = ratings[i] if state in ("followed_up", "closed") else None
            scores = ([max(1, min(5, rating + nudges[int(draw() * 4)])) for _ in range(3)]
                      if rating else [None, None, None])
            enterprise = (next_enterprise + int(draw() * enterprise_span)
                          if enterprises and draw() < 0.8 else None)
            orders.append((
                n, f"PW-{(received + to_shanghai).year}-{n:06d}", channels[i], received_text,
                enterprise, "ja" if draw() < 0.06 else "zh", SUBJECTS[int(draw() * len(SUBJECTS))],
                "企业诉求内容（生成数据）", types[int(draw() * len(types))], category, state, office,
                handler if dispatched else None, "已办结答复" if done else None, rating, *scores,
                received_text, received_text))
            dispatch_stop = received + dt.timedelta(minutes=dispatch_minutes[int(draw() * 6)])
            dispatch_stop_text = text_of(dispatch_stop)
            d_state = ("met" if dispatch_stop <= dispatch_due else "missed") if dispatched else (
                "breached" if stamp >= dispatch_due else "running")
            clock_id = next_clock + 2 * i
            clocks.append((clock_id, "work_order", n, "dispatch", dispatch_policy, d_state,
                           received_text, text_of(dispatch_due), text_of(received + half_hour),
                           0.0, dispatch_stop_text if dispatched else None, empty, False, office))
            warn = received + (due - received) * 0.75
            if done:
                stopped = min(due + six_hours, received + (due - received) * shares[int(draw() * 5)])
                r_state = "met" if stopped <= due else "missed"
            else:
                stopped = None
                r_state = ("paused" if state == "waiting" else "breached" if stamp >= due
                           else "warning" if stamp >= warn else "running")
            clocks.append((clock_id + 1, "work_order", n, "resolution", policies[category][0],
                           r_state, received_text, due_text, text_of(warn), 0.0, text_of(stopped),
                           empty, False, handler if dispatched else office))
            events.append((n, received_text, "receive", None, "received"))
            if dispatched:
                events.append((n, dispatch_stop_text, "dispatch", "received", "dispatched"))
            if len(orders) >= BATCH:
                yield orders, clocks, events
                orders, clocks, events = [], [], []
        yield orders, clocks, events

    source = (_pipelined(batches, lambda: len(due_cache)) if parallel and workorders > BATCH
              else batches())
    for batch in source:
        flush_all(*batch)
    counts["load_seconds"] = round(time.perf_counter() - began, 1)
    for index in indexes:
        index.create(connection)
    if connection.dialect.name == "postgresql":
        for table in ("enterprise", "work_order", "sla_clock", "work_order_event"):
            connection.exec_driver_sql(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT coalesce(max(id), 1) FROM {table}))")
    session.commit()
    counts["distinct_due_dates"] = (source.summary if isinstance(source, _pipelined)
                                    else len(due_cache))
    counts["seconds"] = round(time.perf_counter() - began, 1)
    return counts

