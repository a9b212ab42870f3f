"""Demo events (measures A5, B3, B4): the institutions the zone works with, and a season of
trainings, job fairs, bank–enterprise matchmaking and trade fairs — past ones held and closed
with their attendance, job-fair outcomes and feedback, coming ones open or planned (one full,
with a waiting list), two cancelled with their reasons — so that the calendar, the record
pages and the events dashboard show something real.

Made by the real commands (EventCommands, RegistrationCommands), as the lead department's staff
at the times they would have acted, or through the portal's channel; relative to ``now``.
Idempotent: an event whose Chinese title is already there is left alone.
"""
from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from app.core.scope import acting_as_system
from app.extensions import db
from app.registers.events.commands import EventCommands
from app.registers.events.models import Event
from app.registers.institutions.models import Institution
from app.registers.registrations.commands import RegistrationCommands
from app.registers.registrations.models import Registration

SEED = 2611

# name_zh, name_ja, name_en, kind, contact, phone, address
INSTITUTIONS = [
    ("大连银行普湾支行", "大連銀行普湾支店", "Bank of Dalian, Puwan Sub-branch", "bank",
     "刘晓东", "0411-87651201", "大连市金普新区普湾大街88号"),
    ("中国银行大连金普新区分行", "中国銀行大連金普新区支店",
     "Bank of China, Dalian Jinpu New Area Branch", "bank", "王海燕", "0411-87652310",
     "大连市金普新区金马路168号"),
    ("招商银行大连分行", "招商銀行大連支店", "China Merchants Bank, Dalian Branch", "bank",
     "陈立", "0411-82658800", "大连市中山区人民路17号"),
    ("大连农商银行普湾支行", "大連農商銀行普湾支店",
     "Dalian Rural Commercial Bank, Puwan Sub-branch", "bank", "孙建", "0411-87659021",
     "大连市金普新区临港路12号"),
    ("大连理工大学", "大連理工大学", "Dalian University of Technology", "university", "张教授",
     "0411-84708320", "大连市甘井子区凌工路2号"),
    ("东北财经大学", "東北財経大学", "Dongbei University of Finance and Economics",
     "university", "李老师", "0411-84710000", "大连市沙河口区尖山街217号"),
    ("大连职业技术学院", "大連職業技術学院", "Dalian Vocational & Technical College",
     "vocational_college", "赵老师", "0411-84830000", "大连市甘井子区学苑广场"),
    ("大连软件职业学院", "大連ソフトウェア職業学院", "Dalian Software Vocational College",
     "vocational_college", "周老师", "0411-86253000", "大连市旅顺口区"),
    ("大连金普人才服务有限公司（金普人才）", "金普人材サービス有限公司（金普人材）",
     "Jinpu Talent Services Co., Ltd. (Jinpu Talent)", "talent_agency", "吴敏",
     "0411-87610086", "大连市金普新区五彩城A区8号"),
    ("大连普湾工程管理咨询有限公司", "大連普湾エンジニアリング管理コンサルティング有限公司",
     "Dalian Puwan Engineering Management Consulting Co., Ltd.", "engineering_management",
     "郑工", "0411-87653344", "大连市金普新区新港路36号"),
    ("大连海创科技服务有限公司", "大連海創テクノロジーサービス有限公司",
     "Dalian Haichuang Technology Services Co., Ltd.", "technology_services", "钱锋",
     "0411-87655566", "大连市金普新区松木岛路9号"),
    ("辽宁绿源节能服务有限公司", "遼寧緑源省エネサービス有限公司",
     "Liaoning Lvyuan Energy Services Co., Ltd.", "energy_services", "冯洁", "0411-87657788",
     "大连市金普新区三十里堡路21号"),
    ("大连恒信会计师事务所", "大連恒信会計士事務所", "Dalian Hengxin Certified Public Accountants",
     "accounting_firm", "何会计师", "0411-82809900", "大连市中山区港湾街5号"),
    ("辽宁海诚律师事务所", "遼寧海誠法律事務所", "Liaoning Haicheng Law Firm", "law_firm",
     "林律师", "0411-82801234", "大连市西岗区新开路99号"),
]


@dataclass(frozen=True)
class EventPlan:
    name_zh: str
    name_ja: str
    name_en: str
    kind: str
    lead: str
    co: tuple[str, ...]
    days: int              # from now to its start (negative: past)
    hours: int             # how long it lasts
    state: str             # where it has got to
    venue: str
    capacity: int | None = None
    topic: str | None = None
    fair_scope: str | None = None
    partners: tuple[int, ...] = ()   # indexes into INSTITUTIONS
    registrations: int = 6
    reason: str | None = None        # of a cancelled one


HALL = "普湾经济区管委会一楼多功能厅"
EVENTS = [
    EventPlan("企业上市辅导专题培训", "企業上場指導研修", "Listing guidance training",
              "training", "EDB", ("FIN",), -80, 3, "closed", HALL, 60, topic="listing",
              partners=(12, 13), registrations=8),
    EventPlan("金秋人才招聘会", "秋季人材採用フェア", "Autumn job fair", "job_fair", "EDB",
              ("FIN", "PMW", "IPB"), -60, 5, "closed", "普湾人才市场大厅", None,
              partners=(8, 6), registrations=8),
    EventPlan("普湾经济区银企对接会（第三期）", "普湾経済区 銀行・企業マッチング会（第3回）",
              "Bank–enterprise matchmaking (3rd)", "matchmaking", "EDB", ("FIN", "PMW", "IPB"),
              -45, 3, "closed", HALL, 40, partners=(0, 1, 2), registrations=7),
    EventPlan("中国（大连）日本商品博览会", "中国（大連）日本商品博覧会",
              "China (Dalian) Japan Products Expo", "trade_fair", "EDB", ("IPB", "FIN"), -40,
              8, "closed", "大连世界博览广场", None, fair_scope="international",
              registrations=6),
    EventPlan("外资企业投资政策培训", "外資系企業投資政策研修",
              "Investment policy training for foreign-funded enterprises", "training", "IPB",
              ("EDB",), -30, 2, "closed", "普湾经济区投资促进局会议室", 30, topic="other",
              partners=(13,), registrations=6),
    EventPlan("减税降费政策解读会", "減税・費用軽減政策説明会", "Tax and fee reduction briefing",
              "training", "EDB", ("FIN",), -20, 2, "held", HALL, 80, topic="tax",
              partners=(12,), registrations=8),
    EventPlan("统计报表填报培训", "統計報告記入研修", "Statistical reporting training",
              "training", "EDB", (), -12, 2, "held", HALL, 50, topic="statistics",
              registrations=6),
    EventPlan("春风行动专场招聘会", "春風行動 特別採用フェア", "Spring Breeze job fair",
              "job_fair", "EDB", ("FIN", "PMW", "IPB"), -5, 4, "held", "普湾人才市场大厅", None,
              partners=(8, 7), registrations=7),
    EventPlan("研发费用加计扣除政策培训", "研究開発費追加控除政策研修",
              "R&D super-deduction training", "training", "EDB", ("FIN",), 6, 2, "open",
              "普湾经济区管委会三楼会议室", 6, topic="rnd", partners=(4,), registrations=7),
    EventPlan("普湾经济区银企对接会（第四期）", "普湾経済区 銀行・企業マッチング会（第4回）",
              "Bank–enterprise matchmaking (4th)", "matchmaking", "EDB", ("FIN", "PMW", "IPB"),
              12, 3, "open", HALL, 40, partners=(0, 1, 3), registrations=5),
    EventPlan("安全生产专题培训", "安全生産研修", "Work safety training", "training", "EDB",
              ("PCB",), 18, 2, "cancelled", HALL, 60, topic="safety", registrations=3,
              reason="主讲专家行程冲突，培训改期另行通知"),
    EventPlan("东北亚国际物流博览会", "北東アジア国際物流博覧会",
              "Northeast Asia International Logistics Expo", "trade_fair", "EDB",
              ("IPB", "FIN"), 25, 8, "planned", "大连星海会展中心", None,
              fair_scope="domestic", registrations=0),
    EventPlan("高校毕业生专场招聘会", "大学新卒者向け採用フェア", "Graduate job fair", "job_fair",
              "EDB", ("FIN", "PMW", "IPB"), 40, 4, "planned", "大连理工大学体育馆", None,
              partners=(4, 5, 6), registrations=0),
    EventPlan("节能降碳技术培训", "省エネ・脱炭素技術研修", "Energy saving training",
              "training", "EDB", (), 50, 2, "cancelled", HALL, 40, topic="energy",
              partners=(11,), registrations=0, reason="与市级同类培训时间重叠，合并举办"),
]
EXCUSES = ("生产任务紧，无法脱岗", "负责人出差", "临时接待客户检查")
COMMENTS = ("讲解清楚，很有帮助", "希望多举办此类活动", "时间安排可以更紧凑", "对接效率高",
            "現場の案内が丁寧でした")


def _institutions() -> tuple[list[Institution], int]:
    existing = {i.name_zh: i for i in db.session.query(Institution)}
    made, created = [], 0
    for name_zh, name_ja, name_en, kind, contact, phone, address in INSTITUTIONS:
        item = existing.get(name_zh)
        if item is None:  # (reference data: kept by administrators, no department's record)
            item = Institution(name_zh=name_zh, name_ja=name_ja, name_en=name_en, kind=kind,
                               contact_name=contact, phone=phone, address=address)
            db.session.add(item)
            created += 1
        made.append(item)
    db.session.commit()
    return made, created


def _start(now: dt.datetime, days: int, rng: random.Random) -> dt.datetime:
    """09:00 or 14:00 Shanghai (01:00 or 06:00 UTC) on the day ``days`` from now."""
    day = (now + dt.timedelta(days=days)).replace(tzinfo=None)
    return day.replace(hour=rng.choice((1, 6)), minute=0, second=0, microsecond=0)


def _register(plan, event, candidates, staff, rng, at, act_as) -> list[Registration]:
    """The plan's registrations: staff register their department's enterprises, the rest come
    through the portal while registration is open."""
    made = []
    for n, enterprise in enumerate(rng.sample(candidates, min(plan.registrations,
                                                              len(candidates)))):
        own = enterprise.department_id == event.department_id
        portal = not own and event.state == "open"
        if not own and not portal:
            continue
        item = Registration(event_id=event.id, enterprise_id=enterprise.id,
                            department_id=event.department_id,
                            contact_name=rng.choice(("王经理", "李主任", "张总", "佐藤課長")),
                            contact_phone=f"139{rng.randrange(10**8):08d}",
                            attendees=rng.choice((1, 1, 2)),
                            channel="portal" if portal else "staff")
        commands = RegistrationCommands(now=at + dt.timedelta(hours=n))
        if portal:
            with acting_as_system():
                commands.create(item)
        else:
            act_as(staff)
            commands.create(item)
        made.append(item)
    return made


def _attendance(plan, registrations, staff, rng, at, act_as) -> None:
    """After the event: who came (present, absent, excused with a reason), a job fair's outcome,
    and the feedback of most who came."""
    act_as(staff)
    commands = RegistrationCommands(now=at)
    for item in registrations:
        if item.status != "registered":
            continue
        before = commands.before(item)
        draw = rng.random()
        item.attendance = "present" if draw < 0.75 else "absent" if draw < 0.9 else "excused"
        if item.attendance == "excused":
            item.excuse_reason = rng.choice(EXCUSES)
        if item.attendance == "present":
            if plan.kind == "job_fair":
                item.positions_offered = rng.randrange(3, 20)
                item.applicants = rng.randrange(5, 40)
                item.hires = rng.randrange(0, min(item.applicants, item.positions_offered) + 1)
            if rng.random() < 0.7:
                item.attitude = rng.choice((5, 5, 4, 4, 3))
                item.quality = rng.choice((5, 4, 4, 3))
                item.efficiency = rng.choice((5, 4, 3, 3, 2))
                item.feedback_comment = rng.choice(COMMENTS)
        commands.update(item, before)


def load_events(now: dt.datetime, staff: dict, act_as) -> str:
    """Make the demo's institutions and events (see the module), each department's ``staff``
    (code → user) acting through ``act_as(user)``; returns what was made."""
    from app.core.models import Department
    from app.registers.enterprises.models import Enterprise

    departments = {d.code: d for d in db.session.query(Department)}
    enterprises = db.session.query(Enterprise).order_by(Enterprise.id).all()

    rng = random.Random(SEED)
    now = now.astimezone(dt.UTC).replace(tzinfo=None)  # (as the events store their times)
    institutions, created = _institutions()
    existing = {name for (name,) in db.session.query(Event.name_zh)}
    made = registered = 0
    for plan in EVENTS:
        if plan.name_zh in existing:
            continue
        lead_staff = staff[plan.lead]
        starts = _start(now, plan.days, rng)
        planned_at = starts - dt.timedelta(days=30)
        event = Event(kind=plan.kind, name_zh=plan.name_zh, name_ja=plan.name_ja,
                      name_en=plan.name_en, starts_at=starts,
                      ends_at=starts + dt.timedelta(hours=plan.hours), venue_zh=plan.venue,
                      capacity=plan.capacity, topic=plan.topic, fair_scope=plan.fair_scope,
                      description_zh=f"{plan.name_zh}。主办：{departments[plan.lead].name_zh}。",
                      description_ja=f"{plan.name_ja}。主催：{departments[plan.lead].name_ja}。",
                      description_en=f"{plan.name_en}. Organised by the "
                                     f"{departments[plan.lead].name_en}.",
                      department_id=departments[plan.lead].id,
                      co_departments=[departments[code] for code in plan.co],
                      institutions=[institutions[i] for i in plan.partners])
        act_as(lead_staff)
        EventCommands(now=planned_at).create(event)
        opened_at = min(starts - dt.timedelta(days=20), now - dt.timedelta(days=2))
        if plan.state != "planned" and not (plan.state == "cancelled" and plan.days > 45):
            EventCommands(now=opened_at).perform(event, "open", {})
        registrations = _register(plan, event, enterprises, lead_staff, rng,
                                  opened_at + dt.timedelta(hours=2), act_as)
        registered += len(registrations)
        act_as(lead_staff)
        if plan.state == "cancelled":
            EventCommands(now=now - dt.timedelta(days=1)).perform(
                event, "cancel", {"reason": plan.reason})
        if plan.state in ("held", "closed"):
            EventCommands(now=starts + dt.timedelta(hours=1)).perform(event, "hold", {})
            _attendance(plan, registrations, lead_staff, rng,
                        starts + dt.timedelta(hours=plan.hours), act_as)
            act_as(lead_staff)
        if plan.state == "closed":
            EventCommands(now=starts + dt.timedelta(days=3)).perform(event, "close", {})
        made += 1
    return f"{created} institutions, {made} events, {registered} registrations"
