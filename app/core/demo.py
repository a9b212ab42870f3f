"""A small demo data set so a newcomer sees something on every page (`flask seed --demo`)."""
from __future__ import annotations

import random

from flask import current_app

from app.core.commands import RecordCommands
from app.core.models import Department
from app.core.users import create_user
from app.extensions import db
from app.registers.enterprises.models import Enterprise
from app.registers.enterprises.validators import CHARSET, uscc_check_char

DEMO_PASSWORD = "Demo-password-2026"
DEMO_USERS = [
    # username, department, role, locale
    ("ipb_staff", "IPB", "Department staff", None),
    ("edb_staff", "EDB", "Department staff", None),
    ("aab_staff", "AAB", "Department staff", None),
    ("ja_window", "IPB", "Japanese window", "ja"),
    ("office_reader", "OFFICE", "Zone reader", None),
    ("office_dispatcher", "OFFICE", "Dispatcher", None),
    ("auditor", "DIS", "Auditor", None),
]
DEMO_ENTERPRISES = [
    ("大连普湾精细化工有限公司", "大連普湾ファインケミカル有限公司", "Dalian Puwan Fine Chemicals Co., Ltd.", "chemical", True, "IPB"),
    ("普湾新材料科技有限公司", None, "Puwan New Materials Technology Co., Ltd.", "chemical", False, "IPB"),
    ("大连松木汽车部品有限公司", "大連松木自動車部品有限公司", "Dalian Matsuki Auto Parts Co., Ltd.", "automotive", True, "EDB"),
    ("普湾港口物流有限公司", None, "Puwan Port Logistics Co., Ltd.", "logistics", False, "EDB"),
    ("大连湾食品加工有限公司", None, "Dalian Bay Food Processing Co., Ltd.", "food", False, "AAB"),
    ("普湾智能装备制造有限公司", None, "Puwan Intelligent Equipment Co., Ltd.", "equipment", False, "AAB"),
]


def demo_uscc(rng: random.Random) -> str:
    body = "91" + "210200" + "".join(rng.choice(CHARSET) for _ in range(9))
    return body + uscc_check_char(body)


def load_demo() -> str:
    sm = current_app.appbuilder.sm
    departments = {d.code: d for d in db.session.query(Department)}
    users = 0
    for username, code, role_name, locale in DEMO_USERS:
        if sm.find_user(username=username):
            continue
        create_user(username, DEMO_PASSWORD, code, [role_name], last_name=code, locale=locale)
        users += 1
    db.session.commit()
    commands = RecordCommands(Enterprise)
    rng = random.Random(2026)
    created = 0
    for name_zh, name_ja, name_en, industry, japanese, code in DEMO_ENTERPRISES:
        uscc = demo_uscc(rng)
        if db.session.query(Enterprise).filter_by(name_zh=name_zh).first():
            continue
        secretary = sm.find_user(username=f"{code.lower()}_staff")
        # Through the command, like any write: validated, and visible in the change history.
        commands.create(Enterprise(
            uscc=uscc, name_zh=name_zh, name_ja=name_ja, name_en=name_en, industry=industry,
            japanese_funded=japanese, stage=rng.choice(["construction", "producing"]),
            export_enterprise=rng.random() < 0.5, address="大连市金普新区普湾经济区",
            department_id=departments[code].id, secretary=secretary,
        ))
        created += 1
    orders = _demo_orders(departments) if created else 0
    return f"{users} users (password {DEMO_PASSWORD}), {created} enterprises, {orders} work orders"


DEMO_ORDERS = [
    # subject, channel, category, handling department, actions after dispatch
    ("咨询高新技术企业认定条件", "hotline", "consultation", "EDB", ["accept", "resolve", "follow_up"]),
    ("展会展位补贴如何申请", "wechat", "general", "EDB", ["accept", "start"]),
    ("施工许可审批进度查询", "portal", "general", "AAB", ["accept", "start", "wait"]),
    ("银企对接会报名", "email", "consultation", "FIN", ["accept", "resolve"]),
    ("厂区周边道路破损", "hotline", "difficult", "PCB", []),
    ("日资企业工作签证办理", "walk_in", "general", "IPB", ["accept", "resolve", "follow_up",
                                                        "close"]),
    ("招聘会场地安排", "office_day", "consultation", "EDB", ["accept", "resolve", "follow_up"]),
    ("用电增容申请", "hotline", "difficult", None, []),
]


def _demo_orders(departments) -> int:
    from app.core.scope import acting_as_system
    from app.intake import create_public_order
    from app.registers.workorders.commands import WorkOrderCommands

    data = {"resolve": {"reply": "已按政策答复并办结。"},
            "follow_up": {"rating": 4, "attitude": 5, "quality": 4, "efficiency": 4},
            "wait": {"reason": "等待企业补充材料"}}
    for subject, channel, category, handler, actions in DEMO_ORDERS:
        order, _token = create_public_order(channel=channel, subject=subject, content=subject,
                                            service_type="other")
        commands = WorkOrderCommands()
        with acting_as_system():
            if handler:
                commands.perform(order, "dispatch", {"department": departments[handler].id,
                                                     "category": category})
            for action in actions:
                commands.perform(order, action, data.get(action, {}))
    return len(DEMO_ORDERS)
