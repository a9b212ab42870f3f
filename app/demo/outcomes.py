"""Demo outcomes of events (measures A5, B4): financing needs met at bank–enterprise
matchmaking — open, with an intention signed (some now overdue for follow-up), loans signed,
dropped — and booth-subsidy applications of trade fairs — submitted, approved within the yearly
cap, refused. Made by the real commands, as the lead department's staff, at past times, so that
clocks, timelines and charts agree.

It needs banks and events: it uses the matchmaking events and trade fairs the demo already has
(app/demo/events.py makes them) and makes its own, led by EDB (the measures' lead), when there
are none. Idempotent: a need or an application is made once per event and enterprise.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import random
from decimal import Decimal

from app.core import registry
from app.core.exceptions import ValidationFailed
from app.extensions import db
from app.registers.enterprises.models import Enterprise
from app.registers.events.models import Event
from app.registers.financing.commands import FinancingCommands
from app.registers.financing.models import FinancingNeed
from app.registers.institutions.models import Institution
from app.registers.subsidies.commands import SubsidyCommands
from app.registers.subsidies.models import BoothSubsidy

SEED = 2611
BANKS = [
    ("大连银行", "大連銀行", "Bank of Dalian"),
    ("中国工商银行大连分行", "中国工商銀行大連支店", "ICBC Dalian Branch"),
    ("中国建设银行大连分行", "中国建設銀行大連支店", "China Construction Bank Dalian Branch"),
    ("大连农商银行", "大連農村商業銀行", "Dalian Rural Commercial Bank"),
]
# kind, name_zh, name_ja, name_en, days before now, venue
OWN_EVENTS = [
    ("matchmaking", "普湾经济区银企对接会（春季）", "普湾経済区 銀行・企業マッチング会（春）",
     "Puwan bank–enterprise matchmaking (spring)", 100, "普湾经济区管委会一楼报告厅"),
    ("matchmaking", "普湾经济区银企对接会（秋季）", "普湾経済区 銀行・企業マッチング会（秋）",
     "Puwan bank–enterprise matchmaking (autumn)", 40, "普湾经济区管委会一楼报告厅"),
    ("trade_fair", "中国（大连）国际工业博览会", "中国（大連）国際工業博覧会",
     "China (Dalian) International Industry Fair", 75, "大连世界博览广场"),
    ("trade_fair", "东京国际食品展（FOODEX JAPAN）", "FOODEX JAPAN（東京国際食品展）",
     "FOODEX JAPAN, Tokyo", 30, "幕张国际展览中心"),
]
LEAD, CO_OPERATING, STAFF_OF_LEAD = "EDB", ("FIN", "IPB"), "edb_staff"
CENT = Decimal("0.01")
PURPOSES = ("working_capital", "equipment", "construction", "rnd", "trade")


def _banks() -> list[Institution]:
    banks = db.session.query(Institution).filter_by(kind="bank").order_by(Institution.id).all()
    known = {bank.name_zh for bank in banks}
    for name_zh, name_ja, name_en in BANKS:
        if name_zh not in known and len(banks) < len(BANKS):
            bank = Institution(name_zh=name_zh, name_ja=name_ja, name_en=name_en, kind="bank",
                               contact_name="信贷部", phone="0411-88880000")
            db.session.add(bank)
            banks.append(bank)
    db.session.commit()
    return banks


def _events(kind: str, now: dt.datetime, people: dict, departments: dict, act_as,
            staff: dict) -> list[Event]:
    """The demo's past events of ``kind`` led by a department with demo staff; its own if none."""
    past = naive(now)
    found = [e for e in db.session.query(Event).filter(Event.kind == kind, Event.starts_at < past,
                                                        Event.state != "cancelled")
             .order_by(Event.starts_at) if _code(e, departments) in staff]
    if found:
        return found[-3:]
    from app.core.transfer.importer import commands_for

    act_as(people[STAFF_OF_LEAD])
    commands = commands_for(registry.get("event"))
    made = []
    for own_kind, name_zh, name_ja, name_en, days, venue in OWN_EVENTS:
        if own_kind != kind:
            continue
        event = db.session.query(Event).filter_by(name_zh=name_zh).first()
        if event is None:
            starts = (past - dt.timedelta(days=days)).replace(hour=1, minute=30, second=0,
                                                              microsecond=0)
            event = Event(kind=kind, name_zh=name_zh, name_ja=name_ja, name_en=name_en,
                          starts_at=starts, ends_at=starts + dt.timedelta(hours=4), venue_zh=venue,
                          capacity=200, department_id=departments[LEAD].id,
                          fair_scope="international" if kind == "trade_fair" else None)
            event.co_departments = [departments[c] for c in CO_OPERATING]
            commands.create(event)
            event.state = "held"  # (it took place: its outcomes are recorded afterwards)
            db.session.commit()
        made.append(event)
    return made


def _code(event: Event, departments: dict) -> str | None:
    return next((code for code, d in departments.items() if d.id == event.department_id), None)


def naive(value: dt.datetime) -> dt.datetime:
    return value.astimezone(dt.UTC).replace(tzinfo=None)


def _at(event: Event, days: float) -> dt.datetime:
    return (event.starts_at + dt.timedelta(days=days)).replace(tzinfo=dt.UTC)


def _quiet(commands):
    commands.after_commit = lambda session: None  # (the demo's final sweep delivers)
    return commands


def _needs(rng, events, banks, people, departments, now, act_as, staff) -> int:
    made = 0
    for event in events:
        act_as(people[staff[_code(event, departments)]])
        done = {e for (e,) in db.session.query(FinancingNeed.enterprise_id).filter_by(
            event_id=event.id)}
        firms = db.session.query(Enterprise).filter_by(department_id=event.department_id) \
            .order_by(Enterprise.id).limit(6).all()
        for n, firm in enumerate(firms):
            if firm.id in done:
                continue
            met = rng.sample(banks, k=min(len(banks), rng.choice((1, 2, 2, 3))))
            need = FinancingNeed(event_id=event.id, enterprise_id=firm.id,
                                 amount=rng.choice((200, 300, 500, 800, 1000, 1500, 2000)),
                                 purpose=rng.choice(PURPOSES), term_months=rng.choice((12, 24, 36)),
                                 banks=met, intention=None)
            _quiet(FinancingCommands(now=_at(event, 0.2))).create(need)
            made += 1
            fate = n % 5  # open, intention (follow-up running or overdue), loan ×2, dropped
            if fate == 0:
                continue
            signed = _at(event, 3 + n)
            if signed >= now:
                continue
            _quiet(FinancingCommands(now=signed)).perform(need, "sign_intention", {
                "intention": f"{met[0]}拟授信{need.amount}万元"})
            if fate in (2, 3) and _at(event, 10 + n) < now:
                day = _at(event, 10 + n)
                _quiet(FinancingCommands(now=day)).perform(need, "sign_loan", {
                    "loan_amount": str(Decimal(need.amount) * (1 if fate == 2 else Decimal("0.8"))),
                    "loan_signed_on": day.astimezone(dt.timezone(dt.timedelta(hours=8)))
                    .date().isoformat(), "loan_bank": met[0].id})
            elif fate == 4 and _at(event, 8) < now:
                _quiet(FinancingCommands(now=_at(event, 8))).perform(
                    need, "drop", {"reason": "企业已通过其他渠道解决资金"})
    return made


def _subsidies(rng, events, people, departments, now, act_as, staff) -> int:
    made = 0
    for event in events:
        act_as(people[staff[_code(event, departments)]])
        done = {e for (e,) in db.session.query(BoothSubsidy.enterprise_id).filter_by(
            event_id=event.id)}
        firms = db.session.query(Enterprise).filter_by(department_id=event.department_id) \
            .order_by(Enterprise.id.desc()).limit(5).all()
        for n, firm in enumerate(firms):
            if firm.id in done:
                continue
            area = rng.choice((9, 18, 27, 36))
            fee = (Decimal(area) * Decimal("0.35")).quantize(CENT)
            subsidy = BoothSubsidy(event_id=event.id, enterprise_id=firm.id, booth_area=area,
                                   booth_fee=fee, requested_amount=(fee / 2).quantize(CENT),
                                   notes="展位费发票、参展合同已提交")
            _quiet(SubsidyCommands(now=_at(event, 2))).create(subsidy)
            made += 1
            if n % 4 == 3 or _at(event, 12) >= now:
                continue  # (waiting for the decision; the oldest are overdue)
            commands = _quiet(SubsidyCommands(now=_at(event, 12)))
            if n % 4 == 2:
                commands.perform(subsidy, "refuse", {"reason": "未提供展位费发票原件"})
            else:
                # (beyond the cap: refused, left for a person to decide)
                with contextlib.suppress(ValidationFailed):
                    commands.perform(subsidy, "approve",
                                     {"approved_amount": str(subsidy.requested_amount)})
    return made


def load_outcomes(now: dt.datetime, people: dict, departments: dict, act_as,
                  staff: dict) -> str:
    """Load the demo's outcomes inside the demo's request and transaction: ``people`` by user
    name, ``act_as(user)`` makes the demo's request that user's, ``staff``: department code →
    its staff's user name (app.demo.dataset)."""
    rng = random.Random(SEED)
    banks = _banks()
    needs = _needs(rng, _events("matchmaking", now, people, departments, act_as, staff), banks,
                   people, departments, now, act_as, staff)
    subsidies = _subsidies(rng, _events("trade_fair", now, people, departments, act_as, staff),
                           people, departments, now, act_as, staff)
    return f"{needs} financing needs, {subsidies} booth-subsidy applications"
