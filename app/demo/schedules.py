"""Demo approval schedules (measure A3): a few projects in the zone — a Japanese-funded fine
chemicals plant, an auto-parts plant, a food plant — each scheduled backwards from its target
start of production by the real commands (as the lead department's staff, a while ago), the items already due
done by their approving departments (as their staff), and one of them late.

Other demo modules may make projects too: these are found (and made) by their Chinese name.
Idempotent: a project is made once and scheduled once.
"""
from __future__ import annotations

import datetime as dt

from app.core.commands import RecordCommands
from app.core.models import Department
from app.extensions import db
from app.registers.enterprises.models import Enterprise
from app.registers.projects.models import Project
from app.registers.schedules import commands
from app.registers.schedules.models import ScheduleItem
from app.sla.calendar import SHANGHAI

# name zh/ja/en, the enterprise's Chinese name (app.demo.dataset), industry, investment
# (10k CNY), land (mu), site, days from today to the target start of production
PROJECTS = [
    ("年产2万吨电子级精细化学品项目", "年産2万トン電子グレード精密化学品プロジェクト",
     "20,000 t/yr electronic-grade fine chemicals project", "大连普湾精细化工有限公司",
     "chemical", 68000, 120, "普湾经济区松木岛化工园区", 420),
    ("新能源汽车精密部品生产基地项目", "新エネルギー車精密部品生産拠点プロジェクト",
     "EV precision parts production base", "大连松木汽车部品有限公司",
     "automotive", 35000, 85, "普湾经济区三十里堡临港工业区", 360),
    ("海产品精深加工及冷链物流项目", "水産品高度加工及びコールドチェーン物流プロジェクト",
     "Seafood processing and cold-chain logistics project", "大连湾食品加工有限公司",
     "food", 18000, 60, "普湾经济区炮台镇食品产业园", 330),
]
PLANNED_DAYS_AGO = 75


def load(now: dt.datetime, people_of, act_as) -> str:
    """``people_of(code)``: the demo's staff user of a department; ``act_as(user)``."""
    today = now.astimezone(SHANGHAI).date()
    departments = {d.id: d.code for d in db.session.query(Department)}
    made = scheduled = done = 0
    for (name_zh, name_ja, name_en, enterprise_zh, industry, investment, land, site,
         days) in PROJECTS:
        project = db.session.query(Project).filter_by(name_zh=name_zh).first()
        if project is None:
            enterprise = db.session.query(Enterprise).filter_by(name_zh=enterprise_zh).first()
            if enterprise is None:
                continue
            # led by the enterprise's own department (a project links only records it may)
            lead = people_of(departments[enterprise.department_id]) or people_of("IPB")
            act_as(lead)
            project = Project(
                name_zh=name_zh, name_ja=name_ja, name_en=name_en, enterprise=enterprise,
                industry=industry, investment=investment, land_area=land, site=site,
                stage="approvals", secretary=lead,
                target_production_start=today + dt.timedelta(days=days))
            RecordCommands(Project).create(project)
            made += 1
        if db.session.query(ScheduleItem.id).filter_by(project_id=project.id).first():
            continue
        act_as(people_of(departments[project.department_id]) or people_of("IPB"))
        planned_at = (now - dt.timedelta(days=PLANNED_DAYS_AGO)).astimezone(dt.UTC)
        items = commands.plan(project, now=planned_at)
        scheduled += 1
        due = sorted((i for i in items if i.late_finish < today), key=lambda i: i.late_start)
        for n, item in enumerate(due):
            act_as(people_of(departments[item.department_id]))
            if n == len(due) - 1:  # the last one due: started, not finished — late
                commands.record_actual(item, item.late_start, None, now=now)
            else:
                commands.record_actual(item, item.late_start, item.late_finish, now=now)
                done += 1
    return f"{made} projects, {scheduled} approval schedules ({done} items done)"
