"""Benchmark the event and registration pages at scale: 10,000 events, 1,000,000 registrations.

    python -m bench.events --database sqlite              # 100k enterprises, 10k events, 1M registrations
    python -m bench.events --database postgresql          # same, in a throw-away database
    python -m bench.events --database sqlite --events 1000 --registrations 100000   # quick look

Each path is requested ``--repeat`` times (after two warm-up requests) by a department's user;
it prints the median server time (in-process, around the WSGI call), its spread (min–max) and the
SQL statements of one request. Figures, not assertions: see bench/RESULTS.md.
"""
from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path
from urllib.parse import quote

from sqlalchemy import text

from bench.run import PASSWORD, UNTIL, Counter, _ok, build_app, login, machine

LEAD = "bench_edb"   # Economic Development Bureau: leads every event (measures A5, B3, B4)
COOPERATING = "bench_pcb"  # Planning and Construction: co-operates on trainings only (B3: all)
EVENT_SEARCH = "上市"      # trainings on listing: about 5% of the events
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
PG_DB = "puwan_bench_events"


def timed(fn, counter: Counter, repeat: int, warmup: int = 2) -> dict:
    for _ in range(warmup):
        fn()
    samples, queries = [], 0
    for _ in range(repeat):
        before = counter.n
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
        queries = counter.n - before
    return {"ms": round(statistics.median(samples), 1), "min": round(min(samples), 1),
            "max": round(max(samples), 1), "queries": queries}


def database_url(args) -> str:
    if args.database_url:
        return args.database_url
    if args.database == "sqlite":
        Path(args.dir).mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{args.dir}/events-{args.events}-{args.registrations}.sqlite"
    return f"postgresql+psycopg://postgres@127.0.0.1:5432/{PG_DB}"


def fresh_postgres(url: str, drop_first: bool) -> None:
    """A database of its own (created when missing); ``drop_first``: emptied first."""
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            conn.execute(f"CREATE DATABASE {name}")
    if drop_first:
        with psycopg.connect(url.replace("+psycopg", ""), autocommit=True) as conn:
            conn.execute("DROP SCHEMA public CASCADE")
            conn.execute("CREATE SCHEMA public")


def prepare(app, args) -> dict:
    from flask_migrate import upgrade

    from app import MIGRATIONS_DIR
    from app.core.seeds import load_all
    from app.core.users import create_user
    from app.demo.generator import generate
    from app.extensions import db

    with app.app_context():
        upgrade(directory=MIGRATIONS_DIR)
        existing = db.session.execute(text("SELECT count(*) FROM event_registration")).scalar()
        if existing:
            return {"generated": "reused", "registrations": existing}
        load_all()
        create_user(LEAD, PASSWORD, "EDB", ["Department staff"], first_name="Bench",
                    last_name="EDB")
        create_user(COOPERATING, PASSWORD, "PCB", ["Department staff"], first_name="Bench",
                    last_name="PCB")
        db.session.commit()
        counts = generate(enterprises=args.enterprises, workorders=0, seed=2026, until=UNTIL,
                          institutions=args.institutions, events=args.events,
                          registrations=args.registrations)
        began = time.perf_counter()
        db.session.execute(text("ANALYZE"))  # planner statistics, as a DBA would after a load
        db.session.commit()
        counts["analyze_seconds"] = round(time.perf_counter() - began, 1)
        return counts


def facts(app) -> dict:
    """What the measured requests ask for: a busy month, a big closed event, a search's hits."""
    from app.extensions import db

    with app.app_context():
        q = db.session.execute
        event = q(text(
            "SELECT e.id, count(*) FROM event e JOIN event_registration r ON r.event_id = e.id "
            "WHERE e.state = 'closed' GROUP BY e.id ORDER BY count(*) DESC, e.id LIMIT 1")).one()
        return {
            "events": q(text("SELECT count(*) FROM event")).scalar(),
            "registrations": q(text("SELECT count(*) FROM event_registration")).scalar(),
            "event": event[0], "event_registrations": event[1],
            "month": "2026-10",
            "month_events": q(text(
                "SELECT count(*) FROM event WHERE starts_at < '2026-10-31 16:00' "
                "AND coalesce(ends_at, starts_at) >= '2026-09-30 16:00'")).scalar(),
            "search_hits": q(text("SELECT count(*) FROM event WHERE name_zh LIKE :q"),
                             {"q": f"%{EVENT_SEARCH}%"}).scalar(),
            "job_fairs": q(text("SELECT count(*) FROM event WHERE kind = 'job_fair'")).scalar(),
            "cooperating_events": q(text(
                "SELECT count(*) FROM event_department d JOIN department p "
                "ON p.id = d.department_id WHERE p.code = 'PCB'")).scalar(),
        }


def rison(filters: str = "", order: str = "") -> str:
    parts = []
    if filters:
        parts.append(f"filters:!({filters})")
    if order:
        parts.append(order)
    parts.append("page:0,page_size:25")
    return "?q=" + quote(f"({','.join(parts)})")


def bench(app, args, counter, f: dict) -> list[dict]:
    lead, lead_token = login(app, LEAD)
    coop, _coop_token = login(app, COOPERATING)
    api = app.test_client()
    search = quote(EVENT_SEARCH)
    pk = f["event"]
    paths = [
        ("event list, first page (lead department)", lead, "/events/list/"),
        ("event list, filter kind = job fair", lead, "/events/list/?_flt_0_kind=job_fair"),
        (f"event list, text search in the title ({f['search_hits']} events)", lead,
         f"/events/list/?_flt_2_name_zh={search}"),
        ("event list, first page (co-operating department)", coop, "/events/list/"),
        (f"calendar month {f['month']} ({f['month_events']} events, lead department)", lead,
         f"/events/calendar/?month={f['month']}"),
        (f"calendar month {f['month']} (co-operating department)", coop,
         f"/events/calendar/?month={f['month']}"),
        (f"an event's page ({f['event_registrations']} registrations)", lead,
         f"/events/show/{pk}"),
        ("registrations list, first page (lead department, 1M visible)", lead,
         "/registrations/list/"),
        ("registrations list, one event's registrations", lead,
         f"/registrations/list/?_flt_0_event={pk}"),
        ("registrations list, first page (co-operating department)", coop,
         "/registrations/list/"),
    ]
    rest = [
        ("REST list of registrations (25, newest first)",
         "/api/v1/event_registration/" + rison(order="order_column:created_on,order_direction:desc")),
        ("REST list of an event's registrations",
         "/api/v1/event_registration/" + rison(f"(col:event,opr:rel_o_m,value:{pk})")),
        ("REST list of events (25, newest first)",
         "/api/v1/event/" + rison(order="order_column:starts_at,order_direction:desc")),
    ]
    rows = []

    def show(entry):
        rows.append(entry)
        print(f"{entry['path']:<72} {entry['ms']:>8} ({entry['min']}–{entry['max']}) "
              f"{entry['queries']:>3} q", flush=True)

    for name, client, path in paths:
        show({"path": name, "url": path,
              **timed(lambda c=client, p=path: _ok(c.get(p)), counter, args.repeat)})
    for name, path in rest:
        show({"path": name, "url": path,
              **timed(lambda p=path: _ok(api.get(p, headers=lead_token)), counter,
                      args.repeat)})
    return rows


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--database-url", help="instead of the default file or database")
    parser.add_argument("--enterprises", type=int, default=100_000)
    parser.add_argument("--institutions", type=int, default=200)
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--registrations", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=21)
    parser.add_argument("--dir", default="/tmp/puwan-bench", help="where SQLite files go")
    parser.add_argument("--fresh", action="store_true", help="regenerate the data set")
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args(argv)

    url = database_url(args)
    if url.startswith("sqlite") and args.fresh:
        Path(url.removeprefix("sqlite:///")).unlink(missing_ok=True)
    if url.startswith("postgresql"):
        fresh_postgres(url, drop_first=args.fresh)
    app = build_app(url)
    print(f"# {machine()}")
    print(f"# {url.split('://')[0]}: {args.enterprises} enterprises, {args.events} events, "
          f"{args.registrations} registrations; median (min–max) of {args.repeat}")
    counts = prepare(app, args)
    print(f"# data: {counts}", flush=True)
    f = facts(app)
    print(f"# facts: {f}", flush=True)
    with app.app_context():
        from app.extensions import db

        counter = Counter(db.engine)
    rows = bench(app, args, counter, f)
    if args.json:
        Path(args.json).write_text(json.dumps({
            "machine": machine(), "database": url.split("://")[0], "data": counts, "facts": f,
            "rows": rows}, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
