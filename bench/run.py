"""Benchmark the work-order paths at scale against hand-written SQL and stock Flask-AppBuilder.

    python -m bench.run --database sqlite            # 100k enterprises, 1M work orders
    python -m bench.run --database postgresql        # same, in a throw-away database
    python -m bench.run --database sqlite --workorders 20000 --enterprises 2000   # quick look

For each path it prints the median server time (in-process, around the WSGI call, after warm-up)
and the number of SQL statements of one request, for the platform, for hand-written raw SQL
fetching the same data (the limit) and for a stock FAB view of the same model (the baseline).
Figures, not assertions: see bench/RESULTS.md for what was measured and the targets.
"""
from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import quote

from sqlalchemy import event, text

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PASSWORD = "Bench-pass-2026"
USER = "bench_edb"          # a department's user (the Enterprise Development Bureau)
DISPATCHER = "bench_office"  # the Office: reads the whole zone
STOCK_ROLE = "Bench stock FAB"
SEARCH = "融资"              # a word of ~10% of the subjects
UNTIL = dt.date(2026, 11, 25)
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
PG_BENCH_DB = "puwan_bench"
WORKORDERS_DEFAULT = 1_000_000


class Counter:
    """Counts SQL statements sent to the database."""

    def __init__(self, engine):
        self.n = 0
        event.listen(engine, "before_cursor_execute", self._count)

    def _count(self, *_args, **_kwargs):
        self.n += 1


def median_ms(samples: list[float]) -> float:
    return round(statistics.median(samples) * 1000, 1)


def measure(fn, counter: Counter, repeat: int, warmup: int = 2) -> tuple[float, int]:
    (result,) = measure_alternately([fn], counter, repeat, warmup)
    return result


def measure_alternately(fns, counter: Counter, repeat: int,
                        warmup: int = 2) -> list[tuple[float, int]]:
    """Median time and statements of each of ``fns``, run in turns (ours, raw, ours, raw …) so
    that a slow spell of this shared machine weighs on both sides of a ratio alike."""
    for _ in range(warmup):
        for fn in fns:
            fn()
    samples = [[] for _ in fns]
    queries = [0 for _ in fns]
    for _ in range(repeat):
        for i, fn in enumerate(fns):
            before = counter.n
            start = time.perf_counter()
            fn()
            samples[i].append(time.perf_counter() - start)
            queries[i] = counter.n - before
    return [(median_ms(s), q) for s, q in zip(samples, queries, strict=True)]


def _ok(response):
    if response.status_code != 200:
        raise SystemExit(f"{response.request.path}: HTTP {response.status_code}\n"
                         f"{response.get_data(as_text=True)[:800]}")
    return response


# --- database set-up -----------------------------------------------------------------------------

def database_url(args) -> str:
    if args.database == "sqlite":
        Path(args.dir).mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{args.dir}/bench-{args.workorders}.sqlite"
    return f"postgresql+psycopg://postgres@127.0.0.1:5432/{PG_BENCH_DB}"


def create_pg_database(drop_first: bool) -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s",
                              (PG_BENCH_DB,)).fetchone()
        if exists and drop_first:
            conn.execute(f"DROP DATABASE {PG_BENCH_DB} WITH (FORCE)")
            exists = False
        if not exists:
            conn.execute(f"CREATE DATABASE {PG_BENCH_DB}")


def drop_pg_database() -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {PG_BENCH_DB} WITH (FORCE)")


def prepare(app, args) -> dict:
    """Schema, reference data, users and the generated data set (skipped when already there)."""
    from flask_migrate import upgrade

    from app import MIGRATIONS_DIR
    from app.core.seeds import load_all
    from app.core.users import create_user
    from app.demo.generator import generate
    from app.extensions import db

    with app.app_context():
        upgrade(directory=MIGRATIONS_DIR)
        existing = db.session.execute(text("SELECT count(*) FROM work_order")).scalar()
        if existing == args.workorders:
            return {"generated": "reused"}
        if existing:
            raise SystemExit(f"{db.engine.url} holds {existing} work orders, not "
                             f"{args.workorders}: use --fresh")
        load_all()
        create_user(USER, PASSWORD, "EDB", ["Department staff"], first_name="Bench",
                    last_name="EDB")
        create_user(DISPATCHER, PASSWORD, "OFFICE", ["Dispatcher"], first_name="Bench",
                    last_name="Office")
        db.session.commit()
        counts = generate(enterprises=args.enterprises, workorders=args.workorders,
                          open_orders=args.open, seed=2026, until=UNTIL)
        db.session.execute(text("ANALYZE"))  # planner statistics, as a DBA would after a load
        db.session.commit()
        return counts


def build_app(url: str):
    from app import create_app
    from bench import stock

    app = create_app({
        "SQLALCHEMY_DATABASE_URI": url,
        "WTF_CSRF_ENABLED": False,  # the bench client posts the login form directly
        "AUTH_RATE_LIMIT": "100000 per minute",
        "AUTH_ACCOUNT_RATE_LIMIT": "100000 per minute",
        "RATELIMIT_STORAGE_URI": "memory://",
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": False},
    })
    with app.app_context():
        stock.register(app.appbuilder)
    return app


def grant_stock_role(app) -> None:
    from app.extensions import db
    from bench import stock

    with app.app_context():
        stock.grant(app.appbuilder, STOCK_ROLE)
        sm = app.appbuilder.sm
        role = sm.find_role(STOCK_ROLE)
        for name in (USER, DISPATCHER):
            user = sm.find_user(username=name)
            if role not in user.roles:
                user.roles.append(role)
        db.session.commit()


def login(app, username: str):
    client = app.test_client()
    _ok(client.get("/login/"))
    resp = client.post("/login/", data={"username": username, "password": PASSWORD})
    if resp.status_code != 302:
        raise SystemExit(f"login failed for {username}: {resp.status_code}")
    client.get("/lang/zh")
    token = client.post("/api/v1/security/login", json={
        "username": username, "password": PASSWORD, "provider": "db"}).json["access_token"]
    return client, {"Authorization": f"Bearer {token}"}


# --- hand-written SQL: the same data each page shows -------------------------------------------

def raw_sql(dialect: str) -> dict:
    # The search term has no upper or lower case (Chinese): LIKE finds the same rows as ILIKE,
    # and is what a hand-writer would use.
    like = "subject LIKE :q"
    visible = "(w.department_id = :d OR w.handling_department_id = :d)"
    return {
        "list": [
            f"SELECT count(*) FROM (SELECT 1 FROM work_order w WHERE {visible} AND {like} "
            f"LIMIT :cap) AS c",
            f"SELECT w.id, w.ticket, w.received_at, w.channel, w.subject, w.category, w.state, "
            f"d.name_zh FROM work_order w LEFT JOIN department d "
            f"ON d.id = w.handling_department_id WHERE {visible} AND {like} "
            f"ORDER BY w.received_at DESC, w.id DESC LIMIT 25",
        ],
        "show": [
            "SELECT w.*, e.name_zh, s.name_zh, d.name_zh, h.name_zh, u.username "
            "FROM work_order w LEFT JOIN enterprise e ON e.id = w.enterprise_id "
            "JOIN service_type s ON s.id = w.service_type_id "
            "JOIN department d ON d.id = w.department_id "
            "LEFT JOIN department h ON h.id = w.handling_department_id "
            "LEFT JOIN ab_user u ON u.id = w.handler_id "
            f"WHERE w.id = :pk AND {visible}",
            "SELECT e.at, e.action, e.to_state, e.note, u.username FROM work_order_event e "
            "LEFT JOIN ab_user u ON u.id = e.actor_id WHERE e.order_id = :pk ORDER BY e.id",
            "SELECT name, state, due_at, unconfirmed FROM sla_clock "
            "WHERE subject_type = 'work_order' AND subject_id = :pk ORDER BY id",
        ],
    }


def dashboard_sql(dialect: str) -> list[str]:
    month = ("strftime('%Y-%m', {c}, '+8 hours')" if dialect == "sqlite"
             else "to_char({c} + interval '8 hours', 'YYYY-MM')")
    orders = "FROM work_order w WHERE (w.department_id = :d OR w.handling_department_id = :d)"
    clocks = "FROM sla_clock c WHERE c.subject_type = 'work_order' AND c.department_id = :d"
    kept = "avg(CASE WHEN c.state = 'met' THEN 100.0 ELSE 0.0 END)"
    return [
        f"SELECT w.channel, count(*) {orders} GROUP BY 1",
        f"SELECT w.service_type_id, count(*) {orders} GROUP BY 1",
        f"SELECT {month.format(c='w.received_at')}, count(*) {orders} GROUP BY 1",
        f"SELECT c.department_id, {kept} {clocks} AND c.name = 'dispatch' "
        "AND c.state IN ('met', 'missed') GROUP BY 1",
        f"SELECT {month.format(c='c.started_at')}, {kept} {clocks} AND c.name = 'dispatch' "
        "AND c.state IN ('met', 'missed') GROUP BY 1",
        f"SELECT c.department_id, {kept} {clocks} AND c.name = 'resolution' "
        "AND c.state IN ('met', 'missed') GROUP BY 1",
        f"SELECT {month.format(c='c.started_at')}, {kept} {clocks} AND c.name = 'resolution' "
        "AND c.state IN ('met', 'missed') GROUP BY 1",
        f"SELECT c.department_id, count(*) {clocks} AND c.state IN ('warning', 'breached') "
        "GROUP BY 1",
        f"SELECT w.rating, count(*) {orders} AND w.rating IS NOT NULL GROUP BY 1",
        f"SELECT w.handling_department_id, avg(w.rating_attitude) {orders} "
        "AND w.rating_attitude IS NOT NULL GROUP BY 1",
        f"SELECT w.handling_department_id, avg(w.rating_quality) {orders} "
        "AND w.rating_quality IS NOT NULL GROUP BY 1",
        f"SELECT w.handling_department_id, avg(w.rating_efficiency) {orders} "
        "AND w.rating_efficiency IS NOT NULL GROUP BY 1",
    ]


def run_raw(app, statements, params) -> None:
    from app.extensions import db

    with app.app_context(), db.engine.connect() as conn:
        for statement in statements:
            conn.execute(text(statement), params).all()


# --- the run -------------------------------------------------------------------------------------

def rison_list(resource: str) -> str:
    q = (f"(filters:!((col:subject,opr:ct,value:'{SEARCH}')),order_column:received_at,"
         "order_direction:desc,page:0,page_size:25)")
    return f"/api/v1/{resource}/?q={quote(q)}"


def bench(app, args, counter) -> list[dict]:
    from app.extensions import db

    client, token = login(app, USER)
    api = app.test_client()  # an API client sends its token, not a session cookie
    office, _office_token = login(app, DISPATCHER)
    with app.app_context():
        dialect = db.engine.dialect.name
        department = db.session.execute(text("SELECT id FROM department WHERE code = 'EDB'")
                                        ).scalar()
        order_id = db.session.execute(text(
            "SELECT id FROM work_order WHERE handling_department_id = :d "
            "ORDER BY received_at DESC LIMIT 1"), {"d": department}).scalar()
    params = {"d": department, "q": f"%{SEARCH}%", "cap": 1001, "pk": order_id}
    raw = raw_sql(dialect)
    search = f"_flt_2_subject={quote(SEARCH)}"
    rows = []

    def row(name, ours, raw_fn=None, stock_fn=None, note="", stock_repeat=None):
        measured = measure_alternately([ours, raw_fn] if raw_fn else [ours], counter,
                                       args.repeat)
        entry = {"path": name, "ms": measured[0][0], "queries": measured[0][1], "note": note}
        if raw_fn:
            entry["raw_ms"], entry["raw_queries"] = measured[1]
        if stock_fn:
            entry["stock_ms"], entry["stock_queries"] = measure(
                stock_fn, counter, stock_repeat or max(3, args.repeat // 3),
                warmup=0 if stock_repeat else 1)
        rows.append(entry)
        print(format_row(entry), flush=True)

    print(header(), flush=True)
    # The dashboards' rollup, as cron would compute it (`flask charts refresh`).
    from app.core.charts import refresh_all

    start = time.perf_counter()
    before = counter.n
    refreshed = refresh_all(app)
    entry = {"path": f"flask charts refresh ({sum(refreshed.values())} rollup rows)",
             "ms": median_ms([time.perf_counter() - start]), "queries": counter.n - before,
             "note": "whole zone, every chart"}
    rows.append(entry)
    print(format_row(entry), flush=True)
    row("list page (HTML, 25 rows, text search)",
        lambda: _ok(client.get(f"/workorders/list/?{search}")),
        lambda: run_raw(app, raw["list"], params),
        lambda: _ok(client.get(f"/stock/workorders/list/?{search}")))
    row("list page (HTML, 25 rows, no search)",
        lambda: _ok(client.get("/workorders/list/")),
        lambda: run_raw(app, [s.replace(" AND subject LIKE :q", "") for s in raw["list"]],
                        params),
        lambda: _ok(client.get("/stock/workorders/list/")))
    row("REST list (25 rows, text search)",
        lambda: _ok(api.get(rison_list("workorder"), headers=token)),
        lambda: run_raw(app, raw["list"], params),
        lambda: _ok(api.get(rison_list("stockworkorder"), headers=token)))
    row("order page (HTML)",
        lambda: _ok(client.get(f"/workorders/show/{order_id}")),
        lambda: run_raw(app, raw["show"], params),
        lambda: _ok(client.get(f"/stock/workorders/show/{order_id}")))
    row("dashboard data (12 charts, department)",
        lambda: _ok(client.get("/workorders/dashboard/data.json")),
        lambda: run_raw(app, dashboard_sql(dialect), params),
        lambda: _ok(client.get("/stock/workorders/chart/chart/")),
        note="stock: 1 chart (by channel) with FAB's GroupByChartView", stock_repeat=1)
    row("dashboard data (12 charts, whole zone)",
        lambda: _ok(office.get("/workorders/dashboard/data.json")),
        note="the Office (Dispatcher) reads every department")
    row("dashboard data (12 charts, department, filtered: computed live)",
        lambda: _ok(client.get("/workorders/dashboard/data.json?_flt_0_channel=email")),
        note="a filter bypasses the rollup")
    row("home page (department)", lambda: _ok(client.get("/")))
    return rows


def bench_sweep(app, args, counter) -> list[dict]:
    """`flask sla sweep` over the open orders: a day later, then a month of backlog at once."""
    from app.clocks.sweep import sweep
    from app.extensions import db

    rows = []
    with app.app_context():
        open_orders = db.session.execute(text(
            "SELECT count(*) FROM work_order WHERE state NOT IN "
            "('resolved', 'followed_up', 'closed')")).scalar()
        snapshot = dict(db.session.execute(text(
            "SELECT state, count(*) FROM sla_clock GROUP BY state")).all())
    for label, days in (("next day", 1), ("30 days of backlog", 30)):
        now = dt.datetime.combine(UNTIL + dt.timedelta(days=days), dt.time(4), dt.UTC)
        samples, moved, queries = [], 0, 0
        for _ in range(3):
            with app.app_context():
                before = counter.n
                start = time.perf_counter()
                report = sweep(db.session, now)
                samples.append(time.perf_counter() - start)
                queries = counter.n - before
                moved = report.warning + report.breached
                _restore(db.session)
        raw_samples = []
        for _ in range(3):
            with app.app_context():
                start = time.perf_counter()
                _raw_sweep(db.session, now)
                raw_samples.append(time.perf_counter() - start)
                _restore(db.session)
        entry = {"path": f"sla sweep, {open_orders} open orders ({label}: {moved} clocks moved)",
                 "ms": median_ms(samples), "queries": queries,
                 "raw_ms": median_ms(raw_samples), "raw_queries": 0, "note": ""}
        rows.append(entry)
        print(format_row(entry), flush=True)
    with app.app_context():
        after = dict(db.session.execute(text(
            "SELECT state, count(*) FROM sla_clock GROUP BY state")).all())
    assert after == snapshot, (snapshot, after)
    return rows


def _raw_sweep(session, now) -> None:
    """The sweep's work by hand: move states, record transitions, write notices/supervision."""
    naive = now.replace(tzinfo=None)
    for old, new, column in (("running", "breached", "due_at"), ("warning", "breached", "due_at"),
                             ("running", "warning", "warn_at")):
        session.execute(text(
            f"INSERT INTO sla_transition (clock_id, old_state, new_state, at, notified_at) "
            f"SELECT id, CAST(:old AS VARCHAR), CAST(:new AS VARCHAR), :now, :now FROM sla_clock "
            f"WHERE state = :old AND {column} <= :now"),
            {"old": old, "new": new, "now": naive})
        session.execute(text(f"UPDATE sla_clock SET state = :new WHERE state = :old "
                             f"AND {column} <= :now"), {"old": old, "new": new, "now": naive})
    session.execute(text(
        "INSERT INTO notice (transition_id, department_id, kind, clock_name, subject_type, "
        "subject_id, created_at) SELECT t.id, c.department_id, t.new_state, c.name, "
        "c.subject_type, c.subject_id, :now FROM sla_transition t "
        "JOIN sla_clock c ON c.id = t.clock_id WHERE t.at = :now"), {"now": naive})
    session.execute(text(
        "INSERT INTO supervision (transition_id, department_id, subject_type, subject_id, "
        "reason, opened_at) SELECT t.id, c.department_id, c.subject_type, c.subject_id, "
        "'breach', :now FROM sla_transition t JOIN sla_clock c ON c.id = t.clock_id "
        "WHERE t.at = :now AND t.new_state = 'breached'"), {"now": naive})
    session.commit()


def _restore(session) -> None:
    """Put the clocks back as the generator left them (so every sample does the same work)."""
    session.execute(text(
        "UPDATE sla_clock SET state = (SELECT t.old_state FROM sla_transition t "
        "WHERE t.clock_id = sla_clock.id ORDER BY t.id LIMIT 1) "
        "WHERE id IN (SELECT clock_id FROM sla_transition)"))
    for table in ("notice", "supervision", "sla_transition"):
        session.execute(text(f"DELETE FROM {table}"))
    session.commit()


def header() -> str:
    return (f"{'path':<66} {'ms':>8} {'q':>3} | {'raw ms':>8} {'q':>3} {'×raw':>6} | "
            f"{'stock ms':>9} {'q':>5} {'stock/ours':>10}")


def format_row(e: dict) -> str:
    raw = (f"{e['raw_ms']:>8} {e['raw_queries']:>3} {e['ms'] / max(e['raw_ms'], 0.1):>6.1f}"
           if "raw_ms" in e else f"{'—':>8} {'':>3} {'':>6}")
    stock = (f"{e['stock_ms']:>9} {e['stock_queries']:>5} {e['stock_ms'] / e['ms']:>10.1f}"
             if "stock_ms" in e else f"{'—':>9} {'':>5} {'':>10}")
    return f"{e['path']:<66} {e['ms']:>8} {e['queries']:>3} | {raw} | {stock}"


def machine() -> str:
    cpu = ""
    with contextlib.suppress(OSError, StopIteration):
        cpu = next(line.split(":", 1)[1].strip()
                   for line in Path("/proc/cpuinfo").read_text().splitlines()
                   if line.startswith("model name"))
    return f"{platform.node()} · {os.cpu_count()} cores · {cpu} · Python {platform.python_version()}"


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--enterprises", type=int, default=100_000)
    parser.add_argument("--workorders", type=int, default=WORKORDERS_DEFAULT)
    parser.add_argument("--open", type=int, default=100_000,
                        help="open work orders among them (the sweep's load)")
    parser.add_argument("--repeat", type=int, default=21)
    parser.add_argument("--dir", default="/tmp/puwan-bench", help="where SQLite files go")
    parser.add_argument("--fresh", action="store_true", help="regenerate the data set")
    parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL database")
    parser.add_argument("--no-sweep", action="store_true")
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args(argv)
    args.open = min(args.open, args.workorders)

    url = database_url(args)
    if args.database == "sqlite" and args.fresh:
        Path(url.removeprefix("sqlite:///")).unlink(missing_ok=True)
    if args.database == "postgresql":
        create_pg_database(drop_first=args.fresh)
    try:
        app = build_app(url)
        print(f"# {machine()}")
        print(f"# {args.database}: {args.enterprises} enterprises, {args.workorders} work orders "
              f"({args.open} open); median of {args.repeat}")
        counts = prepare(app, args)
        print(f"# data: {counts}", flush=True)
        grant_stock_role(app)
        with app.app_context():
            from app.extensions import db

            counter = Counter(db.engine)
        rows = bench(app, args, counter)
        if not args.no_sweep:
            rows += bench_sweep(app, args, counter)
        if args.json:
            Path(args.json).write_text(json.dumps({
                "machine": machine(), "database": args.database, "data": counts,
                "rows": rows}, ensure_ascii=False, indent=1))
    finally:
        if args.database == "postgresql" and not args.keep:
            drop_pg_database()


if __name__ == "__main__":
    main()
