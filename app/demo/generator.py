"""`flask demo generate`: a large, realistic, reproducible data set, inserted in bulk.

Same arguments and seed → the same rows. Work orders spread over ``years`` years up to ``until``
(a date in Shanghai), over departments, channels, categories and states; each order has its
dispatch and resolution clocks (due dates from the real calendar, cached per day and policy) and
its timeline's first events. Optionally institutions, events of every kind and their
registrations (``generate_events``). Rows go in with executemany (SQLite, synchronous off for the run)
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
             institutions: int = 0, events: int = 0, registrations: int = 0,
             parallel: bool = True) -> dict:
    """``open_orders``: that many of the newest orders are still open (a backlog); by default
    orders older than 20 days are done and 40% of the younger ones are open.

    ``institutions``, ``events``, ``registrations``: how many of each to add (see
    ``generate_events``); registrations name the enterprises in the database.

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

    indexes = [index for name in ("enterprise", "work_order", "sla_clock", "work_order_event",
                                  "institution", "event", "event_department",
                                  "event_institution", "event_registration")
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
        counts["workorder_events"] = counts.get("workorder_events", 0) + writer.write(
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
    if institutions or events or registrations:
        counts.update(generate_events(
            writer, session, seed=seed, start=start, until=until, stamp=stamp,
            institutions=institutions, events=events, registrations=registrations,
            parallel=parallel))
    counts["load_seconds"] = round(time.perf_counter() - began, 1)
    for index in indexes:
        index.create(connection)
    if connection.dialect.name == "postgresql":
        for table in ("enterprise", "work_order", "sla_clock", "work_order_event",
                      "institution", "event", "event_registration"):
            connection.exec_driver_sql(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT coalesce(max(id), 1) FROM {table}))")
    session.commit()
    counts["distinct_due_dates"] = (source.summary if isinstance(source, _pipelined)
                                    else len(due_cache))
    counts["seconds"] = round(time.perf_counter() - began, 1)
    return counts



# --- events (measures A5, B3, B4), their partner institutions and registrations ----------------

EVENT_KINDS = (("training", 45), ("job_fair", 20), ("matchmaking", 15), ("trade_fair", 20))
# hours an event lasts (a trade fair: days)
EVENT_HOURS = {"training": (2, 3, 4), "job_fair": (4, 5, 6), "matchmaking": (2, 3),
               "trade_fair": (50, 74, 98)}
EVENT_START_HOURS = ((9, 0), (9, 30), (14, 0), (14, 30))  # Shanghai
# how many registrations an event of each kind draws, relative to a training
EVENT_PULL = {"training": 1.0, "job_fair": 1.4, "matchmaking": 0.6, "trade_fair": 0.35}
TRAINING_TOPICS = (("listing", 12), ("rnd", 15), ("statistics", 12), ("tax", 20),
                   ("finance", 10), ("law", 8), ("accounting", 8), ("energy", 6),
                   ("safety", 7), ("other", 2))
TOPIC_TITLES = {
    "listing": ("企业上市辅导专题培训", "上場支援セミナー", "IPO preparation training"),
    "rnd": ("研发费用加计扣除政策培训", "研究開発費の税額控除研修", "R&D expense deduction training"),
    "statistics": ("统计报表填报培训", "統計報告作成研修", "Statistical reporting training"),
    "tax": ("减税降费政策宣讲会", "減税・費用削減政策説明会", "Tax and fee reduction briefing"),
    "finance": ("企业融资实务培训", "企業資金調達実務研修", "Corporate financing training"),
    "law": ("企业合规与劳动法培训", "企業コンプライアンス・労働法研修", "Compliance and labour law training"),
    "accounting": ("企业财务会计实务培训", "企業会計実務研修", "Financial accounting training"),
    "energy": ("节能降耗技术培训", "省エネ技術研修", "Energy saving training"),
    "safety": ("安全生产专题培训", "安全生産研修", "Work safety training"),
    "other": ("企业服务专题培训", "企業サービス研修", "Enterprise service training"),
}
KIND_TITLES = {
    "job_fair": ("普湾经济区公益人才招聘会", "普湾経済区公益人材就職説明会", "Puwan public job fair"),
    "matchmaking": ("银企对接会", "銀行・企業マッチング会", "Bank–enterprise matchmaking"),
    "trade_fair": ("企业参展组织", "企業出展", "Trade fair participation"),
}
TRADE_FAIRS = (("international", "中国进出口商品交易会", "広州交易会", "Canton Fair"),
               ("international", "中国国际进口博览会", "中国国際輸入博覧会",
                "China International Import Expo"),
               ("international", "东京国际食品展", "FOODEX JAPAN",
                "FOODEX Japan"),
               ("domestic", "东北亚国际博览会", "北東アジア博覧会", "Northeast Asia Expo"),
               ("domestic", "大连国际工业博览会", "大連国際工業博覧会",
                "Dalian International Industry Fair"))
VENUES = ("普湾经济区管委会三楼会议室", "普湾企业服务中心报告厅", "普湾人才市场大厅",
          "大连金普新区会展中心", "普湾科创园路演厅", "线上（腾讯会议）")
FAIR_VENUES = {"中国进出口商品交易会": "广州琶洲展馆", "中国国际进口博览会": "上海国家会展中心",
               "东京国际食品展": "东京国际展览中心（幕张）", "东北亚国际博览会": "长春东北亚国际博览中心",
               "大连国际工业博览会": "大连世界博览广场"}
CANCEL_REASONS = ("主讲专家临时无法到场，改期另行通知", "报名人数不足", "场地检修，活动取消",
                  "因疫情防控要求取消", "与上级部门会议时间冲突")
# partner institutions an event of each kind names (kinds of institution), and how many
EVENT_PARTNERS = {"training": (("engineering_management", "technology_services", "energy_services",
                                "financial_services", "law_firm", "accounting_firm",
                                "university"), 1),
                  "job_fair": (("talent_agency", "university", "vocational_college"), 3),
                  "matchmaking": (("bank",), 4), "trade_fair": ((), 0)}
# name_zh, name_ja, name_en, kind
INSTITUTIONS = (
    ("中国银行大连普湾支行", "中国銀行大連普湾支店",
     "Bank of China Dalian Puwan Sub-branch", "bank"),
    ("中国工商银行大连金普支行", "中国工商銀行大連金普支店",
     "ICBC Dalian Jinpu Sub-branch", "bank"),
    ("中国建设银行大连普湾支行", "中国建設銀行大連普湾支店",
     "CCB Dalian Puwan Sub-branch", "bank"),
    ("大连银行普湾支行", "大連銀行普湾支店", "Bank of Dalian Puwan Sub-branch", "bank"),
    ("大连农商银行普湾支行", "大連農商銀行普湾支店",
     "Dalian Rural Commercial Bank Puwan", "bank"),
    ("瑞穗银行（中国）大连分行", "みずほ銀行（中国）大連支店",
     "Mizuho Bank (China) Dalian Branch", "bank"),
    ("大连理工大学", "大連理工大学", "Dalian University of Technology", "university"),
    ("大连大学", "大連大学", "Dalian University", "university"),
    ("大连职业技术学院", "大連職業技術学院",
     "Dalian Vocational & Technical College", "vocational_college"),
    ("大连装备制造职业技术学院", "大連装備製造職業技術学院",
     "Dalian Equipment Manufacturing College", "vocational_college"),
    ("金普人才", "金普人材", "Jinpu Talent", "talent_agency"),
    ("大连市人力资源服务中心", "大連市人材サービスセンター",
     "Dalian Human Resources Service Centre", "talent_agency"),
    ("辽宁普湾工程管理咨询有限公司", "遼寧普湾工程管理コンサルティング",
     "Liaoning Puwan Engineering Management", "engineering_management"),
    ("大连科技服务中心", "大連科学技術サービスセンター",
     "Dalian Technology Services Centre", "technology_services"),
    ("大连节能服务有限公司", "大連省エネサービス有限公司",
     "Dalian Energy Services Co.", "energy_services"),
    ("大连普湾融资担保有限公司", "大連普湾融資保証有限公司",
     "Dalian Puwan Financing Guarantee", "financial_services"),
    ("辽宁普湾律师事务所", "遼寧普湾法律事務所", "Liaoning Puwan Law Firm", "law_firm"),
    ("大连华信会计师事务所", "大連華信会計事務所", "Dalian Huaxin CPA", "accounting_firm"),
)
SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗"
TITLES = ("经理", "主任", "女士", "先生", "部长")
EXCUSES = ("临时出差", "生产任务紧急", "已委托同事参加", "身体不适", "与其他会议冲突")
COMMENTS = ("内容很实用，希望多举办", "讲解清晰", "时间有点紧", "希望提供课件", "对接效果好", None)
ATTENDANCE_DRAWS = (("present", 78), ("absent", 14), ("excused", 8))
SCORE_DRAWS = ((5, 55), (4, 28), (3, 11), (2, 4), (1, 2))


def _measure_departments(session) -> dict:
    """Each kind's lead and co-operating departments (ids), as the plan's measures say."""
    dept_ids = [row[0] for row in session.execute(text("SELECT id FROM department ORDER BY id"))]
    measures = {}
    for code, everyone, department, role in session.execute(text(
            "SELECT m.code, m.all_departments_cooperate, md.department_id, md.role "
            "FROM measure m JOIN measure_department md ON md.measure_id = m.id "
            "ORDER BY m.code, md.department_id")):
        lead, cooperating = measures.setdefault(code, ([], [], everyone))[:2]
        (lead if role == "lead" else cooperating).append(department)
    from app.registers.events.models import MEASURES

    result = {}
    for kind, code in MEASURES.items():
        lead, cooperating, everyone = measures[code]
        if everyone:
            cooperating = [d for d in dept_ids if d not in lead]
        result[kind] = (lead, cooperating)
    return result


def _allocate(total: int, weights: list[float], cap: int) -> list[int]:
    """``total`` split over ``weights`` (largest remainders), none above ``cap``."""
    whole = sum(weights) or 1.0
    shares = [total * w / whole for w in weights]
    counts = [min(cap, int(s)) for s in shares]
    order = sorted(range(len(weights)), key=lambda i: counts[i] - shares[i])
    left = total - sum(counts)
    for i in order:
        if left <= 0:
            break
        if counts[i] < cap:
            counts[i] += 1
            left -= 1
    return counts


def generate_events(writer: _Writer, session, *, seed: int, start: dt.date, until: dt.date,
                    stamp: dt.datetime, institutions: int, events: int, registrations: int,
                    parallel: bool) -> dict:
    """Institutions, events of every kind and their registrations, in bulk.

    Events spread from ``start`` to four months after ``until``; their state follows their
    dates (planned or open ahead, open while on, held just after, closed later; a few cancelled
    with a reason). Lead and co-operating departments as the event's measure says; partner
    institutions by kind. Registrations: one per event and enterprise, registered while places
    last (``capacity`` counts people) and waiting after; cancelled with a cancelled event;
    attendance once held (all of it once closed), a job fair's outcome and feedback (1–5) only
    for those present. Drawn from their own seeded generator: the work orders stay the same."""
    rng = random.Random(seed * 7919 + 11)
    counts = {}
    next_institution = (session.scalar(text("SELECT max(id) FROM institution")) or 0) + 1
    taken_names = {row[0] for row in session.execute(text("SELECT name_zh FROM institution"))}

    def institution_rows():
        for n in range(institutions):
            zh, ja, en, kind = INSTITUTIONS[n % len(INSTITUTIONS)]
            round_ = n // len(INSTITUTIONS)
            name = zh if round_ == 0 else f"{zh}（{round_ + 1}）"
            while name in taken_names:
                round_ += 1
                name = f"{zh}（{round_ + 1}）"
            taken_names.add(name)
            suffix = "" if round_ == 0 else f" ({round_ + 1})"
            yield (next_institution + n, name, ja + suffix.replace(" ", ""), en + suffix, kind,
                   SURNAMES[n % len(SURNAMES)] + TITLES[n % len(TITLES)],
                   f"0411-8{n % 10000000:07d}", None, "大连市金普新区", None, stamp, stamp)

    counts["institutions"] = writer.write(
        "institution", ("id", "name_zh", "name_ja", "name_en", "kind", "contact_name", "phone",
                        "email", "address", "notes", "created_on", "changed_on"),
        institution_rows())
    if not events:
        return counts

    partners: dict[str, list[int]] = {}
    for pk, kind in session.execute(text("SELECT id, kind FROM institution ORDER BY id")):
        partners.setdefault(kind, []).append(pk)
    departments = _measure_departments(session)
    enterprise_ids = [row[0] for row in session.execute(
        text("SELECT id FROM enterprise ORDER BY id"))]
    next_event = (session.scalar(text("SELECT max(id) FROM event")) or 0) + 1
    next_registration = (session.scalar(text("SELECT max(id) FROM event_registration")) or 0) + 1

    def text_of(moment):
        return None if moment is None else moment.isoformat(" ", "microseconds")

    first = dt.datetime.combine(start, dt.time(0))
    span_days = (until - start).days + 120  # and four months ahead
    kinds = _draws(rng, EVENT_KINDS, events)
    plan = []  # per event: (id, kind, starts, ends, state, lead, created)
    event_rows, link_rows, partner_rows, weights = [], [], [], []
    for i in range(events):
        kind = kinds[i]
        day = first + dt.timedelta(days=rng.randrange(span_days))
        if kind != "trade_fair" and day.weekday() >= 5:
            day += dt.timedelta(days=7 - day.weekday())
        hour, minute = rng.choice(EVENT_START_HOURS)
        starts = day + dt.timedelta(hours=hour - 8, minutes=minute)  # Shanghai → UTC
        ends = starts + dt.timedelta(hours=rng.choice(EVENT_HOURS[kind]))
        created = min(stamp, starts - dt.timedelta(days=rng.randrange(20, 90)))
        reason = None
        if rng.random() < 0.04:
            state, reason = "cancelled", rng.choice(CANCEL_REASONS)
        elif starts > stamp:
            ahead = (starts - stamp).days
            state = ("open" if rng.random() < (0.85 if ahead <= 21 else 0.3) else "planned")
        elif ends > stamp:
            state = "open"  # on now: checking in
        else:
            state = "held" if (stamp - ends).days < 30 else "closed"
        lead_ids, cooperating = departments[kind]
        lead = lead_ids[int(rng.random() * len(lead_ids))]
        pk = next_event + i
        year = (starts + dt.timedelta(hours=8)).year
        topic = scope = None
        if kind == "training":
            topic = _draws(rng, TRAINING_TOPICS, 1)[0]
            zh, ja, en = TOPIC_TITLES[topic]
            venue = rng.choice(VENUES)
        elif kind == "trade_fair":
            scope, zh, ja, en = rng.choice(TRADE_FAIRS)
            venue = FAIR_VENUES[zh]
            zh, ja, en = f"组织企业参加{zh}", f"{ja}への出展", f"Exhibiting at the {en}"
        else:
            zh, ja, en = KIND_TITLES[kind]
            venue = rng.choice(VENUES[:5])
        number = f"{pk:05d}"
        event_rows.append([pk, kind, f"{year}年{zh}（第{number}期）", f"{year}年 {ja}（第{number}回）",
                           f"{en} {year} #{number}", text_of(starts), text_of(ends), venue,
                           None, topic, scope, None, state, reason, text_of(created),
                           text_of(created), lead])
        link_rows.extend((pk, d) for d in cooperating if d != lead)
        pool, many = EVENT_PARTNERS[kind]
        candidates = [p for k in pool for p in partners.get(k, ())]
        if candidates and many:
            for partner in rng.sample(candidates, min(len(candidates),
                                                      1 + int(rng.random() * many))):
                partner_rows.append((pk, partner))
        pull = {"planned": 0.1, "open": 0.6, "cancelled": 0.3}.get(state, 1.0)
        weights.append(EVENT_PULL[kind] * pull * (0.4 + 1.2 * rng.random()))
        plan.append((pk, kind, starts, ends, state, lead, created))

    sizes = _allocate(registrations, weights, len(enterprise_ids))
    for row, size in zip(event_rows, sizes, strict=True):
        if rng.random() >= 0.1:  # one in ten takes everyone who comes: no capacity
            people = size * 1.5 * (0.7 + 0.6 * rng.random())
            row[8] = max(10, int(round(people / 10.0)) * 10)
    capacities = [row[8] for row in event_rows]
    counts["events"] = writer.write(
        "event", ("id", "kind", "name_zh", "name_ja", "name_en", "starts_at", "ends_at", "venue_zh",
                  "capacity", "topic", "fair_scope", "description_zh", "state", "cancel_reason",
                  "created_on", "changed_on", "department_id"), map(tuple, event_rows))
    counts["event_departments"] = writer.write(
        "event_department", ("event_id", "department_id"), link_rows)
    counts["event_institutions"] = writer.write(
        "event_institution", ("event_id", "institution_id"), partner_rows)

    def batches():
        """Each event's registrations in the order they came (ids ascending), BATCH at a time."""
        import hashlib

        draw = rng.random
        rows = []
        pk = next_registration
        n_enterprises = len(enterprise_ids)
        attendees_of = (1, 1, 1, 1, 1, 1, 2, 2, 2, 3)
        for (event, kind, starts, ends, state, lead, created), size, capacity in zip(
                plan, sizes, capacities, strict=True):
            if not size:
                continue
            chosen = rng.sample(range(n_enterprises), size)
            # registrations from the event's announcement until it starts (or until now)
            opened = max(created, starts - dt.timedelta(days=45))
            closing = min(starts, stamp)
            if opened > closing:  # far ahead: since it was announced
                opened = created
            window = (closing - opened).total_seconds()
            moments = sorted(opened + dt.timedelta(seconds=draw() * window) for _ in chosen)
            taken = 0
            attended = state in ("held", "closed")
            for index, moment in zip(chosen, moments, strict=True):
                attendees = attendees_of[int(draw() * 10)]
                if state == "cancelled" or draw() < 0.05:
                    status = "cancelled"
                elif capacity is None or taken + attendees <= capacity:
                    status, taken = "registered", taken + attendees
                else:
                    status = "waitlisted"
                channel = ("staff" if draw() < 0.6 else "import") if state == "planned" else (
                    "portal" if draw() < 0.35 else "staff" if draw() < 0.75 else "import")
                attendance = excuse = checked_in = None
                offered = applicants = hires = None
                scores = (None, None, None)
                comment = feedback_at = None
                changed = moment
                if attended and status == "registered":
                    roll = draw()
                    attendance = "present" if roll < 0.78 else "absent" if roll < 0.92 \
                        else "excused"
                    if state == "held" and attendance != "present" and draw() < 0.5:
                        attendance = None  # the bulk check-in afterwards is still to come
                    if attendance == "excused":
                        excuse = EXCUSES[int(draw() * len(EXCUSES))]
                    if attendance == "present":
                        checked_in = starts + dt.timedelta(minutes=int(draw() * 50) - 30)
                        changed = max(changed, checked_in)
                        if kind == "job_fair":
                            offered = 1 + int(draw() * 30)
                            applicants = int(draw() * offered * 3)
                            hires = int(draw() * (min(applicants, offered) + 1))
                        given = ends + dt.timedelta(hours=1 + int(draw() * 96))
                        if draw() < 0.4 and given <= stamp:
                            base = _draws(rng, SCORE_DRAWS, 1)[0]
                            scores = tuple(max(1, min(5, base + (-1, 0, 0, 0, 1)[int(draw() * 5)]))
                                           for _ in range(3))
                            comment = COMMENTS[int(draw() * len(COMMENTS))]
                            feedback_at = given
                            changed = given
                    elif attendance is not None:
                        changed = max(changed, ends)
                surname = SURNAMES[int(draw() * len(SURNAMES))]
                moment_text = text_of(moment)
                rows.append((
                    pk, event, enterprise_ids[index], surname + TITLES[int(draw() * 5)],
                    f"13{int(draw() * 1e9):09d}", None, attendees, channel, status, attendance,
                    excuse, text_of(checked_in), offered, applicants, hires, *scores, comment,
                    text_of(feedback_at),
                    hashlib.sha256(f"{seed}:{pk}".encode()).hexdigest()
                    if channel == "portal" else None,
                    moment_text, text_of(changed), lead))
                pk += 1
                if len(rows) >= BATCH:
                    yield rows
                    rows = []
        yield rows

    columns = ("id", "event_id", "enterprise_id", "contact_name", "contact_phone",
               "contact_email", "attendees", "channel", "status", "attendance", "excuse_reason",
               "checked_in_at", "positions_offered", "applicants", "hires", "attitude",
               "quality", "efficiency", "feedback_comment", "feedback_at", "token_hash",
               "created_on", "changed_on", "department_id")
    source = (_pipelined(batches, lambda: None) if parallel and registrations > BATCH
              else batches())
    counts["registrations"] = 0
    for batch in source:
        counts["registrations"] += writer.write("event_registration", columns, batch)
    return counts
