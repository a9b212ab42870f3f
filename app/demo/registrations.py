"""Demo registrations: enterprises registered to the demo's events by the organising department's
staff, through RegistrationCommands — a full event with a waiting list, a cancellation that
moved a waiting enterprise up, attendance taken after held events (present, absent, excused with
a reason), a job fair's outcomes and feedback from those present. Events the demo has none of
(the events' own demo adds them) are made here: a job fair held last month and a training next
week, both of Economic Development (measures A5, B3)."""
from __future__ import annotations

import datetime as dt
import random

from app.extensions import db
from app.registers.enterprises.models import Enterprise
from app.registers.events.models import Event
from app.registers.registrations.commands import RegistrationCommands
from app.registers.registrations.models import Registration

SEED = 2611
EXCUSES = ["生产任务紧张，无法派员参加", "负责人出差", "台风预警停工"]
OWN_EVENTS = [  # kind, zh, ja, en, days from now, state, capacity
    ("job_fair", "2026年春季公益人才招聘会", "2026年春季公益就職説明会",
     "2026 Spring Public Job Fair", -30, "held", 12),
    ("training", "研发费用加计扣除政策培训", "研究開発費の追加控除政策研修",
     "Training on the R&D Expense Super-deduction", 7, "open", 4),
]


def _events(now: dt.datetime, departments) -> list[Event]:
    events = db.session.query(Event).order_by(Event.starts_at).all()
    if events:
        return events
    for kind, zh, ja, en, days, state, capacity in OWN_EVENTS:
        start = (now + dt.timedelta(days=days)).replace(hour=1, minute=30, second=0,
                                                         microsecond=0, tzinfo=None)
        event = Event(kind=kind, name_zh=zh, name_ja=ja, name_en=en, starts_at=start,
                      ends_at=start + dt.timedelta(hours=3), venue_zh="普湾经济区管委会三楼会议室",
                      capacity=capacity, state=state, department_id=departments["EDB"].id,
                      topic="rnd" if kind == "training" else None)
        db.session.add(event)
        events.append(event)
    db.session.commit()
    return events


def load(now: dt.datetime, departments, staff_of, act_as) -> int:
    """Registrations for the demo's events (those without any yet); returns how many."""
    rng = random.Random(SEED)
    enterprises = db.session.query(Enterprise).order_by(Enterprise.id).all()
    made = 0
    for event in _events(now, departments):
        if event.state == "cancelled" or db.session.query(Registration.id).filter_by(
                event_id=event.id).first() is not None:
            continue
        staff = staff_of(event.department.code)
        if staff is None:
            continue
        act_as(staff)
        commands = RegistrationCommands(now=now)
        state = event.state
        if state not in ("planned", "open", "held", "closed"):
            continue
        # (the department's own enterprises: those its staff may register)
        own = [e for e in enterprises if e.department_id == event.department_id]
        chosen = rng.sample(own, min(len(own), (event.capacity or 8) + 2))
        registrations = []
        with_state(event, "open")
        for enterprise in chosen:
            item = Registration(event=event, enterprise=enterprise, channel="staff",
                                contact_name=enterprise.contact_name,
                                contact_phone=enterprise.contact_phone,
                                attendees=rng.choice((1, 1, 1, 2)))
            commands.create(item)
            registrations.append(item)
            made += 1
        registered = [r for r in registrations if r.status == "registered"]
        if registered and any(r.status == "waitlisted" for r in registrations):
            commands.cancel([registered[0]], "企业临时另有安排")  # (a waiting one moves up)
        with_state(event, state)
        if state in ("held", "closed"):
            _attendance(commands, rng, event)
    return made


def with_state(event: Event, state: str) -> None:
    """(registrations are taken while the event is open: the demo opens it for a moment)"""
    event.state = state
    db.session.commit()


def _attendance(commands, rng, event: Event) -> None:
    registered = (db.session.query(Registration).filter_by(event_id=event.id,
                                                           status="registered")
                  .order_by(Registration.created_on, Registration.id).all())
    absent = registered[-1:]
    excused = registered[-2:-1]
    present = registered[:-2]
    if present:
        commands.set_attendance(present, "present")
    if absent:
        commands.set_attendance(absent, "absent")
    if excused:
        commands.set_attendance(excused, "excused", rng.choice(EXCUSES))
    for item in present:
        if event.kind == "job_fair":
            positions = rng.randrange(3, 20)
            applicants = rng.randrange(positions, positions * 4)
            commands.record_outcome(item, positions, applicants, rng.randrange(0, positions))
        if rng.random() < 0.7:
            commands.give_feedback(item, rng.choice((4, 5, 5)), rng.choice((3, 4, 5)),
                                   rng.choice((4, 5)), rng.choice(("", "内容实用", "组织有序")))
