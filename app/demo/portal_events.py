"""Demo data of the events portal: enterprises that registered themselves on the portal for a
small matchmaking session (it fills up, the last one waits), each with its private link — made
through the portal's write path (RegistrationCommands, channel "portal", as the system).

The demo's private links have fixed tokens (``demo-portal-1`` …) so that whoever judges the demo
can open one; real ones are random and shown once."""
from __future__ import annotations

import datetime as dt

from app.core.commands import RecordCommands
from app.core.models import Department
from app.core.scope import acting_as_system
from app.extensions import db
from app.intake import token_hash
from app.registers.enterprises.models import Enterprise
from app.registers.events.models import Event
from app.registers.registrations.commands import RegistrationCommands
from app.registers.registrations.models import Registration

TITLE = "银企对接会：中小企业流动资金贷款专场"
CONTACTS = [("王立新", "0411-8760-1101"), ("佐藤健", "0411-8760-1102"),
            ("李婷", "0411-8760-1103"), ("赵明", "0411-8760-1104")]


def load_portal_events(now: dt.datetime) -> str:
    """Idempotent: a second run finds the session and adds nothing. ``now``: aware UTC."""
    event = db.session.query(Event).filter_by(name_zh=TITLE).one_or_none()
    if event is not None:
        return "events portal: already loaded"
    fin = db.session.query(Department).filter_by(code="FIN").one()
    starts = (now + dt.timedelta(days=9)).replace(hour=1, minute=30, second=0, microsecond=0,
                                                  tzinfo=None)  # 09:30 in Dalian
    event = Event(kind="matchmaking", name_zh=TITLE,
                  name_ja="銀行・企業マッチング会：中小企業運転資金融資特集",
                  name_en="Bank–enterprise matchmaking: working-capital loans for SMEs",
                  starts_at=starts, ends_at=starts + dt.timedelta(hours=3),
                  venue_zh="普湾新区管委会二楼多功能厅", venue_ja="普湾新区管理委員会 2階 多目的ホール",
                  venue_en="Puwan New Area Management Committee, 2nd floor, multi-purpose hall",
                  capacity=6, state="open",
                  description_zh="五家银行现场介绍流动资金贷款、知识产权质押融资等产品，"
                                 "企业可预约一对一洽谈。每家企业最多两人参加。",
                  description_ja="5行が運転資金融資・知的財産担保融資などの商品を紹介し、"
                                 "個別相談も予約できます。1社につき2名まで参加できます。",
                  description_en="Five banks present working-capital loans, IP-pledge "
                                 "financing and more; one-to-one talks can be booked. Up to "
                                 "two people per enterprise.",
                  department_id=fin.id)
    with acting_as_system():
        RecordCommands(Event).create(event)
        enterprises = db.session.query(Enterprise).order_by(Enterprise.id).limit(len(CONTACTS))
        for n, (enterprise, (name, phone)) in enumerate(zip(enterprises, CONTACTS,
                                                            strict=False), 1):
            RegistrationCommands().create(Registration(
                event_id=event.id, enterprise_id=enterprise.id, department_id=fin.id,
                channel="portal", contact_name=name, contact_phone=phone, attendees=2,
                token_hash=token_hash(f"demo-portal-{n}")))
    return ("events portal: 4 registrations (3 registered, 1 waiting); a private link: "
            "/portal/events/registration/demo-portal-1")
