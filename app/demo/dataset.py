"""The demo data set (`run.py --demo`, `flask seed --demo`): enough for a newcomer to judge the
platform on every page and chart.

- users of every role, with one password;
- a few dozen enterprises of five departments and many industries, a dozen Japanese-funded;
- a few hundred work orders since the platform went live four months ago, in every state of
  the lifecycle, with returns, waits, extensions (pending, approved, rejected), supervision,
  ratings good and bad and a reopened order — made by the real commands, as the people who
  would act (the Office dispatches, each department's staff handle), at past times, so that
  clocks, timelines and dashboards agree; then one SLA sweep, which marks the overdue and
  at-risk clocks and delivers their notices.

Deterministic: the plan is drawn from a seeded random generator, relative to ``now``.
Idempotent: each demo order carries the reference ``demo:<n>`` and is made once.
"""
from __future__ import annotations

import datetime as dt
import math
import random
from contextlib import contextmanager
from dataclasses import dataclass, field

from flask import current_app, g
from sqlalchemy.orm import Session

from app.core.commands import RecordCommands
from app.core.models import Department
from app.core.scope import scope_for
from app.core.users import create_user
from app.extensions import db
from app.registers.enterprises.models import Enterprise
from app.registers.enterprises.validators import CHARSET, uscc_check_char
from app.sla.calendar import SHANGHAI

DEMO_PASSWORD = "Demo-password-2026"
DEMO_SEED = 2026
DEMO_ORDERS = 300
DEMO_USERS = [
    # username, department, role, locale
    ("ipb_staff", "IPB", "Department staff", None),
    ("edb_staff", "EDB", "Department staff", None),
    ("aab_staff", "AAB", "Department staff", None),
    ("fin_staff", "FIN", "Department staff", None),
    ("pcb_staff", "PCB", "Department staff", None),
    ("ja_window", "IPB", "Japanese window", "ja"),
    ("office_reader", "OFFICE", "Zone reader", None),
    ("office_dispatcher", "OFFICE", "Dispatcher", None),
    ("auditor", "DIS", "Auditor", None),
]
STAFF = {"IPB": "ipb_staff", "EDB": "edb_staff", "AAB": "aab_staff", "FIN": "fin_staff",
         "PCB": "pcb_staff"}
DISPATCHER = "office_dispatcher"
JAPANESE_WINDOW = "ja_window"

# name_zh, name_ja (Japanese-funded), name_en, industry
DEMO_ENTERPRISES = [
    ("大连普湾精细化工有限公司", "大連普湾ファインケミカル有限公司", "Dalian Puwan Fine Chemicals Co., Ltd.", "chemical"),
    ("普湾新材料科技有限公司", None, "Puwan New Materials Technology Co., Ltd.", "chemical"),
    ("大连松木汽车部品有限公司", "大連松木自動車部品有限公司", "Dalian Matsuki Auto Parts Co., Ltd.", "automotive"),
    ("普湾港口物流有限公司", None, "Puwan Port Logistics Co., Ltd.", "logistics"),
    ("大连湾食品加工有限公司", None, "Dalian Bay Food Processing Co., Ltd.", "food"),
    ("普湾智能装备制造有限公司", None, "Puwan Intelligent Equipment Co., Ltd.", "equipment"),
    ("大连山田精密机械有限公司", "大連山田精密機械有限公司", "Dalian Yamada Precision Machinery Co., Ltd.", "equipment"),
    ("大连东和电子有限公司", "大連東和電子有限公司", "Dalian Towa Electronics Co., Ltd.", "electronics"),
    ("大连丸之内食品有限公司", "大連丸の内食品有限公司", "Dalian Marunouchi Foods Co., Ltd.", "food"),
    ("大连北斗物流有限公司", "大連北斗物流有限公司", "Dalian Hokuto Logistics Co., Ltd.", "logistics"),
    ("大连日新新能源有限公司", "大連日新新エネルギー有限公司", "Dalian Nisshin New Energy Co., Ltd.", "energy"),
    ("大连樱花医药有限公司", "大連さくら医薬有限公司", "Dalian Sakura Pharmaceutical Co., Ltd.", "biomedicine"),
    ("大连中村汽车零部件有限公司", "大連中村自動車部品有限公司", "Dalian Nakamura Automotive Components Co., Ltd.", "automotive"),
    ("大连高岭精工有限公司", "大連高嶺精工有限公司", "Dalian Takamine Seiko Co., Ltd.", "equipment"),
    ("大连青木塑料制品有限公司", "大連青木プラスチック製品有限公司", "Dalian Aoki Plastic Products Co., Ltd.", "chemical"),
    ("大连小林电子部品有限公司", "大連小林電子部品有限公司", "Dalian Kobayashi Electronic Parts Co., Ltd.", "electronics"),
    ("大连恒达精密机械有限公司", None, "Dalian Hengda Precision Machinery Co., Ltd.", "equipment"),
    ("普湾华信电子科技有限公司", None, "Puwan Huaxin Electronic Technology Co., Ltd.", "electronics"),
    ("大连海润化工有限公司", None, "Dalian Hairun Chemical Co., Ltd.", "chemical"),
    ("普湾绿源新能源有限公司", None, "Puwan Lvyuan New Energy Co., Ltd.", "energy"),
    ("大连康泰生物医药有限公司", None, "Dalian Kangtai Biomedicine Co., Ltd.", "biomedicine"),
    ("普湾顺达供应链管理有限公司", None, "Puwan Shunda Supply Chain Management Co., Ltd.", "logistics"),
    ("大连金海岸食品有限公司", None, "Dalian Golden Coast Foods Co., Ltd.", "food"),
    ("普湾众诚汽车配件有限公司", None, "Puwan Zhongcheng Auto Parts Co., Ltd.", "automotive"),
    ("大连远航船舶配套有限公司", None, "Dalian Yuanhang Marine Equipment Co., Ltd.", "equipment"),
    ("普湾云智信息技术有限公司", None, "Puwan Yunzhi Information Technology Co., Ltd.", "electronics"),
    ("大连北方石化装备有限公司", None, "Dalian Northern Petrochemical Equipment Co., Ltd.", "chemical"),
    ("普湾宏业建材有限公司", None, "Puwan Hongye Building Materials Co., Ltd.", "other"),
    ("大连瑞丰农产品加工有限公司", None, "Dalian Ruifeng Agricultural Products Co., Ltd.", "food"),
    ("普湾天成检测技术服务有限公司", None, "Puwan Tiancheng Testing Services Co., Ltd.", "services"),
    ("大连鑫源环保科技有限公司", None, "Dalian Xinyuan Environmental Technology Co., Ltd.", "services"),
    ("普湾光伏科技有限公司", None, "Puwan Photovoltaic Technology Co., Ltd.", "energy"),
    ("大连博瑞医疗器械有限公司", None, "Dalian Borui Medical Devices Co., Ltd.", "biomedicine"),
    ("普湾中联冷链物流有限公司", None, "Puwan Zhonglian Cold Chain Logistics Co., Ltd.", "logistics"),
    ("大连锦程汽车电子有限公司", None, "Dalian Jincheng Automotive Electronics Co., Ltd.", "automotive"),
    ("普湾德盛化学有限公司", None, "Puwan Desheng Chemical Co., Ltd.", "chemical"),
    ("大连安信企业管理咨询有限公司", None, "Dalian Anxin Business Consulting Co., Ltd.", "services"),
    ("普湾长兴机械制造有限公司", None, "Puwan Changxing Machinery Co., Ltd.", "equipment"),
]
OWNERS = ("IPB", "IPB", "EDB", "EDB", "AAB", "FIN", "PCB")
ROADS = ("普湾大街", "临港路", "新港路", "松木岛路", "三十里堡路", "炮台路")

# service type -> (handling departments, [(subject in Chinese, subject in Japanese)])
REQUESTS = {
    "policy": (("EDB", "IPB"), [
        ("咨询高新技术企业认定条件", "ハイテク企業認定の要件について"),
        ("申请研发费用加计扣除政策辅导", "研究開発費の追加控除について相談したい"),
        ("咨询企业所得税优惠政策", "企業所得税の優遇措置について")]),
    "approvals": (("AAB",), [
        ("施工许可审批进度查询", "建築工事許可の審査状況を知りたい"),
        ("办理厂房竣工验收备案", "工場の竣工検査届出について"),
        ("变更营业执照经营范围", "営業許可証の事業範囲を変更したい")]),
    "financing": (("FIN",), [
        ("银企对接会报名", "銀行と企業のマッチング会に参加したい"),
        ("申请流动资金贷款贴息", "運転資金借入の利子補給を申請したい"),
        ("咨询融资担保政策", "融資保証制度について相談したい")]),
    "talent": (("EDB",), [
        ("招聘技术工人需协助", "技能職の採用について支援を受けたい"),
        ("人才公寓入住申请", "人材向け住宅への入居を申請したい"),
        ("外籍员工工作许可办理", "外国籍社員の就労許可の手続き")]),
    "trade": (("IPB",), [
        ("展会展位补贴如何申请", "展示会出展補助の申請方法"),
        ("出口退税进度查询", "輸出還付の進捗を確認したい"),
        ("日资企业工作签证办理", "日本人駐在員の就労ビザの手続き")]),
    "infrastructure": (("PCB",), [
        ("厂区周边道路破损", "工場周辺の道路が破損している"),
        ("用电增容申请", "電力容量の増設を申請したい"),
        ("园区供水压力不足", "団地の給水圧が不足している")]),
    "environment": (("PCB", "AAB"), [
        ("环保验收咨询", "環境保護検収について相談したい"),
        ("危险废物转运手续咨询", "危険廃棄物の移送手続きについて"),
        ("安全生产检查整改咨询", "安全生産検査の是正について相談したい")]),
    "other": (("EDB", "IPB"), [
        ("企业开办一件事咨询", "会社設立のワンストップ手続きについて"),
        ("园区夜间噪音投诉", "団地の夜間騒音について")]),
}
CHANNEL_WEIGHTS = (("hotline", 40), ("wechat", 18), ("portal", 14), ("email", 12),
                   ("walk_in", 8), ("office_day", 5), ("open311", 3))
PUBLIC_CHANNELS = ("wechat", "portal", "email", "open311")  # taken in by the channel itself
CATEGORY_WEIGHTS = (("consultation", 35), ("general", 50), ("difficult", 15))
RATING_WEIGHTS = ((5, 50), (4, 30), (3, 13), (2, 5), (1, 2))
NAMES_ZH = ("王丽", "李强", "张伟", "刘洋", "陈静", "杨帆", "赵敏", "孙浩", "周婷", "吴刚")
NAMES_JA = ("佐藤健一", "鈴木美咲", "高橋誠", "田中裕子", "渡辺直樹", "伊藤彩", "山本浩二")
OFFICE_HOURS = (8, 9, 9, 10, 10, 11, 13, 14, 14, 15, 16, 17, 19, 21)  # Shanghai
# When orders arrived (share of them, hours ago) and how far each has come by now: a scenario,
# named after the state it ends in, with its weight. Old orders are mostly closed; a few are
# still open, hence overdue.
ARRIVALS = (
    (0.02, (0.05, 0.9), {"received": 1}),
    (0.04, (1.5, 20), {"received": 15, "dispatched": 20, "accepted": 15, "in_progress": 25,
                       "returned": 5, "waiting": 5, "resolved": 15}),
    (0.10, (26, 100), {"received": 3, "dispatched": 4, "accepted": 6, "in_progress": 22,
                       "extension": 8, "waiting": 12, "returned": 3, "resolved": 22,
                       "followed_up": 12, "closed": 8}),
    (0.15, (110, 360), {"in_progress": 5, "extension": 3, "waiting": 6, "resolved": 10,
                        "followed_up": 21, "closed": 55}),
    (0.69, (370, None), {"in_progress": 2, "waiting": 1, "resolved": 2, "followed_up": 4,
                         "closed": 91}),  # None: since the platform went live (below)
)
LIVE_MONTHS = 4  # the platform went live on the first day of the fourth month before this one

# --- the plan: pure, from the seed and ``now`` --------------------------------------------------
@dataclass
class Step:
    action: str
    hours: float          # after the step before
    actor: str | None     # a demo username
    data: dict = field(default_factory=dict)


@dataclass
class OrderPlan:
    ref: str
    received_at: dt.datetime  # aware UTC
    channel: str
    service_type: str
    category: str
    language: str
    subject: str
    enterprise: int           # index into DEMO_ENTERPRISES
    contact: str
    phone: str
    steps: list[Step]


def _weighted(rng: random.Random, pairs):
    values, weights = zip(*(pairs.items() if isinstance(pairs, dict) else pairs), strict=True)
    return rng.choices(values, weights=weights)[0]


def _arrival(rng: random.Random, now: dt.datetime) -> tuple[dt.datetime, dict]:
    """When an order arrived (aware UTC) and the scenarios open to it. Older ones arrived in
    office hours (Shanghai), mostly on working days."""
    _share, (low, high), scenarios = _weighted(rng, [(a, a[0]) for a in ARRIVALS])
    if high is None:
        # Since the platform went live, more orders month by month (as word of it spread).
        local = now.astimezone(SHANGHAI)
        month = local.year * 12 + local.month - 1 - LIVE_MONTHS
        live = dt.datetime(month // 12, month % 12 + 1, 1, tzinfo=SHANGHAI)
        high = (now - live).total_seconds() / 3600
        hours = high - (high - low) * math.sqrt(rng.random())
    else:
        hours = rng.uniform(low, high)
    moment = now - dt.timedelta(hours=hours)
    if low >= 24:
        local = moment.astimezone(SHANGHAI)
        if rng.random() < 0.7 and local.weekday() >= 5:  # (as many draws whatever the day)
            local += dt.timedelta(days=7 - local.weekday())  # to the Monday after
        local = local.replace(hour=rng.choice(OFFICE_HOURS), minute=rng.randrange(60))
        moment = min(local.astimezone(dt.UTC), now - dt.timedelta(hours=low))
    return moment, scenarios


def _rating(rng: random.Random) -> dict:
    rating = _weighted(rng, RATING_WEIGHTS)

    def score():
        return str(max(1, min(5, rating + rng.choice((-1, 0, 0, 1)))))

    return {"rating": str(rating), "attitude": score(), "quality": score(),
            "efficiency": score(), "comment": "" if rating >= 3 else "办理太慢，答复不够清楚。"}


def _steps(rng: random.Random, scenario: str, category: str, handler_of, departments) -> list:
    first = rng.choice(departments)
    staff = handler_of(first)
    steps: list[Step] = []
    if scenario == "received":
        return steps
    late = rng.random() < 0.15
    steps.append(Step("dispatch", rng.uniform(1.1, 4) if late else rng.uniform(0.1, 0.9),
                      DISPATCHER, {"department": first, "category": category}))
    if scenario == "dispatched":
        return steps
    if scenario == "returned" or rng.random() < 0.04:
        steps.append(Step("return", rng.uniform(0.5, 4), staff,
                          {"reason": "不属于本单位职责，请改派。"}))
        if scenario == "returned":
            return steps
        second = rng.choice([c for c in STAFF if c != first])
        steps.append(Step("dispatch", rng.uniform(0.3, 2), DISPATCHER,
                          {"department": second, "category": category}))
        staff = handler_of(second)
    steps.append(Step("accept", rng.uniform(0.2, 3), staff))
    if scenario == "accepted":
        return steps
    waits = scenario == "waiting" or rng.random() < 0.2
    if waits or scenario in ("in_progress", "extension") or rng.random() < 0.3:
        steps.append(Step("start", rng.uniform(0.1, 2), staff))  # (else resolved right away)
    if waits:
        steps.append(Step("wait", rng.uniform(2, 30), staff, {"reason": "等待企业补充材料"}))
        if scenario == "waiting":
            return steps
        steps.append(Step("resume", rng.uniform(4, 72), staff))
    if scenario == "extension" or rng.random() < 0.12:
        steps.append(Step("request_extension", rng.uniform(4, 24), staff,
                          {"days": str(rng.choice((2, 3, 5))), "reason": "需协调多个部门会商"}))
        if scenario == "extension":
            return steps
        if rng.random() < 0.7:
            steps.append(Step("approve_extension", rng.uniform(1, 8), DISPATCHER))
        else:
            steps.append(Step("reject_extension", rng.uniform(1, 8), DISPATCHER,
                              {"reason": "请按原期限办结"}))
    if scenario == "in_progress":
        if rng.random() < 0.3:
            steps.append(Step("supervise", rng.uniform(24, 72), DISPATCHER,
                              {"reason": "请加快办理并反馈进展"}))
        return steps
    span = {"consultation": (1, 20), "general": (4, 50), "difficult": (8, 80)}[category]
    hours = rng.uniform(*span) * (3 if rng.random() < 0.12 else 1)  # some are late
    steps.append(Step("resolve", hours, staff, {"reply": "已按相关政策答复企业并办结。"}))
    if scenario == "resolved":
        return steps
    rating = _rating(rng)
    steps.append(Step("follow_up", rng.uniform(4, 60), DISPATCHER, rating))
    if scenario == "closed" and int(rating["rating"]) <= 2 and rng.random() < 0.5:
        # a bad rating: the Office reopens the order, which is resolved and rated again
        steps += [Step("reopen", rng.uniform(2, 24), DISPATCHER, {"reason": "企业不满意，重新办理"}),
                  Step("resolve", rng.uniform(8, 48), staff, {"reply": "已重新核实并答复。"}),
                  Step("follow_up", rng.uniform(4, 24), DISPATCHER,
                       {"rating": "4", "attitude": "4", "quality": "4", "efficiency": "4"})]
    if scenario == "followed_up":
        return steps
    steps.append(Step("close", rng.uniform(1, 24), DISPATCHER))
    return steps


def plan_orders(now: dt.datetime, count: int = DEMO_ORDERS, seed: int = DEMO_SEED) -> list:
    """The demo's work orders, oldest first: the same ``seed`` gives the same plan (relative to
    ``now``, an aware instant); every step falls before ``now``."""
    now = now.astimezone(dt.UTC)
    rng = random.Random(seed)
    plans = []
    for n in range(count):
        received, scenarios = _arrival(rng, now)
        scenario = _weighted(rng, scenarios)
        service_type = rng.choice(list(REQUESTS))
        departments, subjects = REQUESTS[service_type]
        enterprise = rng.randrange(len(DEMO_ENTERPRISES))
        japanese = DEMO_ENTERPRISES[enterprise][1] is not None
        language = "ja" if japanese and rng.random() < 0.6 else "zh"
        subject_zh, subject_ja = rng.choice(subjects)
        category = _weighted(rng, CATEGORY_WEIGHTS)

        def handler_of(code, language=language):
            return JAPANESE_WINDOW if code == "IPB" and language == "ja" else STAFF[code]

        steps = _steps(rng, scenario, category, handler_of, departments)
        # Squeeze the steps into the time the order has had, so that all lie in the past.
        room = (now - received).total_seconds() / 3600 - 0.1
        total = sum(step.hours for step in steps)
        if total > room:
            for step in steps:
                step.hours *= room / total
        plans.append(OrderPlan(
            ref=f"demo:{n:04d}", received_at=received, channel=_weighted(rng, CHANNEL_WEIGHTS),
            service_type=service_type, category=category, language=language,
            subject=subject_ja if language == "ja" else subject_zh, enterprise=enterprise,
            contact=rng.choice(NAMES_JA if language == "ja" else NAMES_ZH),
            phone=f"139{rng.randrange(10**8):08d}", steps=steps))
    plans.sort(key=lambda plan: plan.received_at)
    return plans


# --- making it, through the commands ------------------------------------------------------------
def _act_as(user) -> None:
    """From now on the demo's request is made by ``user`` (None: an intake channel)."""
    g.user = user
    if user is None:
        g.pop("_puwan_scope", None)
        return
    scopes = g.setdefault("_demo_scopes", {})
    if user.id not in scopes:
        scopes[user.id] = scope_for(user)
    g._puwan_scope = (user.id, scopes[user.id])


@contextmanager
def _one_transaction():
    """The whole load in one database transaction, in which each command's commit is a
    savepoint: a load that fails leaves nothing, and the database writes to disk once rather
    than once per command."""
    db.session.remove()  # (no other transaction of ours stays open on the database)
    connection = db.engine.connect()
    driver = connection.connection.driver_connection
    sqlite = connection.dialect.name == "sqlite"
    if sqlite:
        # pysqlite's own transaction handling breaks SAVEPOINT; take it over for this
        # connection (SQLAlchemy's documented recipe) and give it back afterwards.
        driver.isolation_level = None
        connection.exec_driver_sql("BEGIN")
    else:
        connection.begin()
    session = Session(bind=connection, join_transaction_mode="create_savepoint",
                      expire_on_commit=False)
    db.session.registry.set(session)
    try:
        yield
        connection.commit()
    except BaseException:
        connection.rollback()
        raise
    finally:
        session.close()
        db.session.registry.clear()
        if sqlite:
            driver.isolation_level = ""
        connection.close()


def demo_uscc(rng: random.Random) -> str:
    body = "91" + "210200" + "".join(rng.choice(CHARSET) for _ in range(9))
    return body + uscc_check_char(body)


def _users(sm) -> int:
    created, password_hash = 0, None
    for username, code, role_name, locale in DEMO_USERS:
        user = sm.find_user(username=username)
        if user is None:
            # One password for all: hashed once (a strong hash takes a noticeable moment).
            user = create_user(username, DEMO_PASSWORD, code, [role_name], last_name=code,
                               locale=locale, password_hash=password_hash)
            created += 1
        password_hash = password_hash or user.password
    db.session.commit()
    return created


def _enterprises(sm, departments) -> tuple[list, int]:
    rng = random.Random(DEMO_SEED)
    made, created = [], 0
    existing = {e.name_zh: e for e in db.session.query(Enterprise)}
    for n, (name_zh, name_ja, name_en, industry) in enumerate(DEMO_ENTERPRISES):
        uscc = demo_uscc(rng)
        owner = "IPB" if name_ja else OWNERS[n % len(OWNERS)]
        stage = "producing" if rng.random() < 0.7 else "construction"
        export = rng.random() < (0.6 if name_ja else 0.25)
        road, number = rng.choice(ROADS), rng.randrange(1, 300)
        contact = rng.choice(NAMES_JA if name_ja else NAMES_ZH)
        phone = f"0411-8{rng.randrange(10**6):06d}"
        if name_zh in existing:
            made.append(existing[name_zh])
            continue
        secretary = sm.find_user(username=STAFF[owner])
        item = Enterprise(
            uscc=uscc, name_zh=name_zh, name_ja=name_ja, name_en=name_en, industry=industry,
            japanese_funded=name_ja is not None, stage=stage, export_enterprise=export,
            address=f"大连市金普新区普湾经济区{road}{number}号", contact_name=contact,
            contact_phone=phone, department_id=departments[owner].id, secretary=secretary)
        _act_as(secretary)  # the department's own staff registers it
        RecordCommands(Enterprise).create(item)
        made.append(item)
        created += 1
    return made, created


def _commands(now: dt.datetime):
    """The real work-order commands at ``now``; the clock transitions they leave are delivered
    (notices, supervision, hooks) by the SLA sweep that ends the load, not after each step."""
    from app.registers.workorders.commands import WorkOrderCommands

    commands = WorkOrderCommands(now=now)
    commands.after_commit = lambda session: None
    return commands


def _make_order(plan: OrderPlan, enterprise: Enterprise, users: dict, departments) -> None:
    from app.intake import create_public_order
    from app.registers.workorders.models import ServiceType, WorkOrder

    received = plan.received_at.replace(tzinfo=None)
    text = f"{plan.subject}。{'ご対応をお願いいたします。' if plan.language == 'ja' else '请尽快联系。'}"
    contact = {"contact_name": plan.contact, "contact_phone": plan.phone}
    if plan.channel in PUBLIC_CHANNELS:
        _act_as(None)
        order, _token = create_public_order(
            channel=plan.channel, subject=plan.subject, content=f"[{enterprise}]\n{text}",
            language=plan.language, service_type=plan.service_type, external_ref=plan.ref,
            received_at=received, **contact)
    else:
        kind = db.session.query(ServiceType).filter_by(code=plan.service_type).one()
        order = WorkOrder(channel=plan.channel, subject=plan.subject, content=text,
                          language=plan.language, service_type_id=kind.id,
                          category=plan.category, enterprise_id=enterprise.id,
                          external_ref=plan.ref, received_at=received,
                          department_id=departments["OFFICE"].id, **contact)
        _act_as(users[DISPATCHER])
        _commands(plan.received_at).create(order)
    at = plan.received_at
    for step in plan.steps:
        at += dt.timedelta(hours=step.hours)
        data = dict(step.data)
        if "department" in data:
            data["department"] = departments[data["department"]].id
        _act_as(users[step.actor])
        _commands(at).perform(order, step.action, data)


def load_demo(now: dt.datetime | None = None) -> str:
    """Load the demo data set (idempotent); ``now`` (aware) is the moment it leads up to."""
    from app.clocks.sweep import sweep
    from app.demo.outcomes import load_outcomes
    from app.registers.workorders.models import WorkOrder

    now = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
    sm = current_app.appbuilder.sm
    with _one_transaction(), current_app.test_request_context("/"):
        departments = {d.code: d for d in db.session.query(Department)}
        users = _users(sm)
        people = {username: sm.find_user(username=username) for username, *_ in DEMO_USERS}
        # Each person's scope, read now: the session lets go of what it holds as it goes.
        g._demo_scopes = {person.id: scope_for(person) for person in people.values()}
        made, enterprises = _enterprises(sm, departments)
        done = {ref for (ref,) in db.session.query(WorkOrder.external_ref)
                .filter(WorkOrder.external_ref.like("demo:%"))}
        orders = 0
        for plan in plan_orders(now, DEMO_ORDERS):
            if plan.ref not in done:
                _make_order(plan, made[plan.enterprise], people, departments)
                orders += 1
                if orders % 10 == 0:
                    db.session.expunge_all()  # (a flush looks at every object the session holds)
        from app.demo import registrations
        from app.demo.events import load_events
        from app.demo.portal_events import load_portal_events

        events = load_events(now, {code: people[user] for code, user in STAFF.items()}, _act_as)
        registered = registrations.load(now, departments, lambda code: people.get(STAFF.get(code)),
                                        _act_as)
        portal = load_portal_events(now)
        load_outcomes(now, people, departments, _act_as, STAFF)
        from app.demo import projects, resolutions, reviews, schedules
        from app.demo.window import load_window

        projects.load(now, departments["IPB"], people[STAFF["IPB"]], people[JAPANESE_WINDOW],
                      _act_as)
        minutes = resolutions.load(now, people[DISPATCHER],
                                   {code: people[user] for code, user in STAFF.items()}, _act_as)
        scheduled = schedules.load(now, lambda code: people.get(STAFF.get(code)), _act_as)
        reviewed = reviews.load(now, people, departments, _act_as)
        window = load_window(now, people, departments, _act_as)
        report = sweep(db.session, now)
    return (f"{users} users (password {DEMO_PASSWORD}), {enterprises} enterprises, "
            f"{orders} work orders, {events}, {registered} more event registrations; {portal}; "
            f"{minutes}; {scheduled}; {reviewed}; {window} window services; "
            f"SLA sweep: {report}")
