"""Demo investment review meetings (measure A2): three meetings of the leading group over the
last months with about twenty resolutions across departments — some completed on time with
their evidence, some late, some overdue now (their clocks breach at the demo's sweep: notices
and supervision entries), one extended — and the two last months' supervision reports already
generated. Made by the real commands, as the Office and the responsible departments' staff, at
past times, so that clocks, timelines, charts and reports agree.

It uses two projects of its own (made if missing), so it coexists with other demo data.
Idempotent: a meeting (by its title) and its resolutions are made once; a month's report once.
"""
from __future__ import annotations

import datetime as dt

from app.clocks.service import load_calendar
from app.core.commands import RecordCommands
from app.core.timeutil import display_tz
from app.extensions import db
from app.registers.enterprises.models import Enterprise
from app.registers.projects.models import Project
from app.registers.resolutions import report
from app.registers.resolutions.commands import (
    AgendaCommands,
    MeetingCommands,
    ResolutionCommands,
)
from app.registers.resolutions.models import (
    AgendaItem,
    InvestmentMeeting,
    Resolution,
    SupervisionReport,
)

PROJECTS = [
    # name_zh, name_ja, name_en, industry, investment (10k CNY), site
    ("年产20万吨高性能树脂项目", "年産20万トン高性能樹脂プロジェクト",
     "200,000 t/a high-performance resin project", "chemical", 180000, "普湾经济区化工园区"),
    ("新能源汽车零部件智能工厂项目", "新エネルギー車部品スマート工場プロジェクト",
     "NEV parts smart factory project", "automotive", 65000, "普湾经济区装备制造园"),
]
# days before now, name_zh, name_ja, name_en, agenda [(project index, reviewed for)]
MEETINGS = [
    (110, "2026年第三次投资审查会", "2026年第3回投資審査会",
     "Third investment review meeting of 2026", [(0, "admission"), (0, "site_selection")]),
    (75, "2026年第四次投资审查会", "2026年第4回投資審査会",
     "Fourth investment review meeting of 2026", [(1, "admission"), (1, "support_policies")]),
    (40, "2026年第五次投资审查会", "2026年第5回投資審査会",
     "Fifth investment review meeting of 2026", [(0, "support_policies"),
                                                (1, "site_selection")]),
]
# per meeting: (text, project index or None, department, days to the deadline, outcome)
# outcome: on_time | late | open (overdue once its deadline passes) | extended
RESOLUTIONS = [
    [("完成树脂项目用地预审及选址意见书办理", 0, "AAB", 20, "on_time"),
     ("协调园区管廊接入方案并报审查会", 0, "PCB", 25, "on_time"),
     ("组织第三方机构开展项目能评、环评专家论证", 0, "EDB", 30, "late"),
     ("落实项目配套供电、供汽指标", 0, "EDB", 35, "on_time"),
     ("研究制定项目落地扶持政策建议", 0, "FIN", 40, "late"),
     ("明确项目服务秘书并建立周报机制", 0, "IPB", 10, "on_time"),
     ("完成项目安全条件审查前期辅导", 0, "AAB", 45, "open")],
    [("办理零部件工厂项目备案", 1, "AAB", 15, "on_time"),
     ("对接日资合作方，提供日语全程服务", 1, "IPB", 20, "on_time"),
     ("核定厂房代建方案及租金优惠", 1, "FIN", 30, "open"),
     ("完成规划设计条件核提", 1, "PCB", 25, "late"),
     ("协调人才公寓配套建设", None, "PCB", 40, "extended"),
     ("梳理企业诉求清单并逐项答复", None, "IPB", 20, "on_time")],
    [("出具树脂项目扶持政策兑现方案", 0, "FIN", 20, "open"),
     ("完成零部件工厂选址地块土地征收", 1, "PCB", 30, "open"),
     ("组织银企对接，解决项目流动资金需求", 1, "FIN", 25, "on_time"),
     ("推进施工图审查提前介入", 0, "AAB", 35, "open"),
     ("开展项目投产前安全生产培训", 0, "EDB", 50, "open"),
     ("编制项目全流程审批手册", None, "AAB", 15, "on_time"),
     ("汇总本次会议议定事项落实情况", None, "IPB", 28, "open")],
]
NOTES = ["已召开专题协调会，明确责任分工", "已向企业收集补充材料", "已报送审批部门办理",
         "已完成现场踏勘", "已形成初步意见"]


def _at(now: dt.datetime, days: float, hour: int = 10) -> dt.datetime:
    """``days`` before ``now``, at ``hour`` in Dalian, as aware UTC."""
    local = (now - dt.timedelta(days=days)).astimezone(display_tz())
    return local.replace(hour=hour, minute=0, second=0, microsecond=0).astimezone(dt.UTC)


def _day(instant: dt.datetime) -> dt.date:
    return instant.astimezone(display_tz()).date()


def _projects(staff, act_as) -> list[Project]:
    found = {p.name_zh: p for p in db.session.query(Project)
             .filter(Project.name_zh.in_([p[0] for p in PROJECTS]))}
    enterprises = db.session.query(Enterprise).order_by(Enterprise.id).limit(2).all()
    if len(found) < len(PROJECTS) and not enterprises:
        return []
    act_as(staff["IPB"])
    commands = RecordCommands(Project)
    out = []
    for n, (name_zh, name_ja, name_en, industry, investment, site) in enumerate(PROJECTS):
        project = found.get(name_zh)
        if project is None:
            project = Project(name_zh=name_zh, name_ja=name_ja, name_en=name_en,
                              enterprise=enterprises[n % len(enterprises)], industry=industry,
                              investment=investment, site=site, stage="signed")
            commands.create(project)
        out.append(project)
    return out


def load(now: dt.datetime, office, staff: dict, act_as) -> str:
    """``office``: the Office's dispatcher; ``staff``: department code -> a staff user."""
    projects = _projects(staff, act_as)
    calendar = load_calendar(db.session)
    known = {name for (name,) in db.session.query(InvestmentMeeting.name_zh)}
    meetings = resolutions = 0
    for (days, name_zh, name_ja, name_en, agenda), items in zip(MEETINGS, RESOLUTIONS,
                                                                strict=True):
        if name_zh in known:
            continue
        held = _at(now, days, 9)
        act_as(office)
        meeting = InvestmentMeeting(held_on=_day(held), name_zh=name_zh, name_ja=name_ja,
                                name_en=name_en, notes="管委会主任主持，各部门主要负责人参加")
        MeetingCommands().create(meeting)
        meetings += 1
        for index, kind in agenda:
            if projects:
                AgendaCommands().create(AgendaItem(meeting=meeting, project=projects[index],
                                                   reviewed_for=kind))
        for n, (text, project, code, to_deadline, outcome) in enumerate(items):
            deadline = _day(held) + dt.timedelta(days=to_deadline)
            if not calendar.is_working_day(deadline):
                deadline = calendar.next_working_day(deadline)
            item = Resolution(meeting=meeting, text_zh=text,
                              project=projects[project] if projects and project is not None
                              else None,
                              handling_department_id=staff[code].department_id,
                              deadline=deadline)
            act_as(office)
            ResolutionCommands(now=held + dt.timedelta(hours=2)).create(item)
            resolutions += 1
            _follow(now, item, outcome, deadline, staff[code], office, act_as, n)
    reports = _reports(now, office, act_as)
    return f"{meetings} review meetings, {resolutions} resolutions, {reports} monthly reports"


def _when(deadline: dt.date, days: int, now: dt.datetime) -> dt.datetime | None:
    """The deadline shifted by ``days`` at 15:00 in Dalian; None if not yet come."""
    moment = dt.datetime.combine(deadline + dt.timedelta(days=days), dt.time(15),
                                 tzinfo=display_tz()).astimezone(dt.UTC)
    return moment if moment < now else None


def _follow(now, item, outcome, deadline, person, office, act_as, n) -> None:
    progress_at = _when(deadline, -8, now)
    if progress_at is None:
        return
    act_as(person)
    ResolutionCommands(now=progress_at).perform(item, "report_progress",
                                                {"note": NOTES[n % len(NOTES)]})
    if outcome == "extended":
        act_as(office)
        ResolutionCommands(now=_when(deadline, -3, now) or progress_at).perform(
            item, "extend", {"deadline": (deadline + dt.timedelta(days=21)).isoformat(),
                             "reason": "企业调整建设方案，经审查会同意延期"})
        return
    done_at = {"on_time": _when(deadline, -2, now), "late": _when(deadline, 6, now)}.get(outcome)
    if done_at is None:
        return
    act_as(person)
    commands = ResolutionCommands(now=done_at)
    commands.attach(item, "办结材料.pdf", b"%PDF-1.4\n% demo evidence\n")
    commands.perform(item, "complete", {"note": "已办结，佐证材料见附件"})


def _reports(now: dt.datetime, office, act_as) -> int:
    """The two last full months' reports (their first version), as the Office."""
    act_as(office)
    first = now.astimezone(display_tz()).date().replace(day=1)
    made = 0
    for back in (2, 1):
        month = first
        for _ in range(back):
            month = (month - dt.timedelta(days=1)).replace(day=1)
        key = month.strftime("%Y-%m")
        if db.session.query(SupervisionReport.id).filter_by(month=key).first() is None:
            report.generate(key, now=now)
            made += 1
    return made
