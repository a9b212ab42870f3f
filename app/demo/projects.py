"""Demo projects (measures A3, C1): twelve Dalian Puwan investment projects — fine chemicals,
auto parts of Japanese-funded enterprises, new energy, logistics … — led by the Investment
Promotion Bureau at every stage, each with its project service secretary (the bureau's staff;
the Japanese window for Japanese-funded investors), moved through their stages and reporting
monthly over the last months by the real commands at past times, so that clocks, timelines
and charts agree. One project skipped last month's report: its clock is overdue.

Idempotent: a project is made once (by its Chinese name); its reports once per month.
"""
from __future__ import annotations

import datetime as dt

from app.extensions import db
from app.registers.enterprises.models import Enterprise
from app.registers.projects.commands import (
    ProjectCommands,
    ReportCommands,
    open_reports,
    shanghai_month,
)
from app.registers.projects.lifecycle import REPORTING_STAGES
from app.registers.projects.models import Project, ProjectReport, month_end, next_month

LEAD = "IPB"
# name_zh, name_ja, name_en, industry, investment (10k CNY), land (mu), site, stage,
# Japanese-funded (its secretary: the Japanese window)
PROJECTS = [
    ("年产20万吨高端精细化学品项目", "年産20万トン高級ファインケミカル製品プロジェクト",
     "200,000 t/yr high-end fine chemicals", "chemical", 350000, 420, "普湾化工园区B区",
     "signed", True),  # (a chemical project: admitted only after its expert review, A1)
    ("新能源汽车电池壳体生产基地", "新エネルギー車バッテリーケース生産拠点",
     "EV battery housing plant", "automotive", 86000, 150, "普湾汽车零部件产业园", "construction",
     True),
    ("汽车精密轴承二期扩产项目", "自動車用精密ベアリング第2期増産プロジェクト",
     "Precision auto bearings, phase II", "automotive", 42000, 80, "普湾汽车零部件产业园",
     "producing", True),
    ("海上风电装备总装基地", "洋上風力発電設備組立拠点", "Offshore wind equipment assembly base",
     "energy", 150000, 300, "普湾临港装备制造区", "admitted", False),
    ("分布式光伏与储能一体化项目", "分散型太陽光発電・蓄電一体化プロジェクト",
     "Distributed solar and storage", "energy", 28000, 60, "普湾新能源产业园", "signed", False),
    ("冷链物流仓储中心", "コールドチェーン物流倉庫センター", "Cold-chain logistics centre",
     "logistics", 35000, 120, "普湾港物流园区", "construction", False),
    ("跨境电商保税分拨中心", "越境EC保税配送センター", "Cross-border e-commerce bonded hub",
     "logistics", 18000, 45, "普湾综合保税区", "intention", False),
    ("电子级化学品项目", "電子グレード化学品プロジェクト", "Electronic-grade chemicals",
     "chemical", 60000, 90, "普湾化工园区A区", "signed", True),
    ("车载电子控制器生产线", "車載電子制御ユニット生産ライン", "Automotive ECU production line",
     "electronics", 25000, 40, "普湾电子信息产业园", "approvals", True),
    ("氢燃料电池关键材料项目", "水素燃料電池主要材料プロジェクト",
     "Hydrogen fuel-cell key materials", "energy", 55000, 100, "普湾新能源产业园", "withdrawn",
     False),
    ("预制菜中央厨房项目", "調理済み食品セントラルキッチンプロジェクト",
     "Ready-meal central kitchen", "food", 12000, 30, "普湾食品工业园", "admitted", True),
    ("智能装备再制造基地", "スマート設備リマニュファクチャリング拠点",
     "Smart equipment remanufacturing base", "equipment", 32000, 70, "普湾临港装备制造区",
     "construction", False),
]
ORDER = ["intention", "signed", "admitted", "approvals", "construction", "producing"]
ACTIONS = {"signed": "sign", "admitted": "admit", "approvals": "start_approvals",
           "construction": "start_construction", "producing": "start_production"}
PROGRESS = [
    ("完成项目备案和用地预审", "环评批复时间较紧", "推进环评和能评审批"),
    ("取得建设工程规划许可证", "施工用电接入待协调", "办理施工许可，组织开工准备"),
    ("主体厂房桩基施工完成60%", "部分进口设备清关周期较长", "主体结构封顶，设备采购招标"),
]
MONTHS = 4  # months of history
MISSING = "车载电子控制器生产线"  # skipped last month's report


def _local(month: dt.date, day: int, hour: int = 10) -> dt.datetime:
    """An instant (aware UTC) on ``day`` of ``month`` at ``hour`` in Asia/Shanghai."""
    return (dt.datetime.combine(month.replace(day=day), dt.time(hour))
            - dt.timedelta(hours=8)).replace(tzinfo=dt.UTC)


def _quiet(commands):
    commands.after_commit = lambda session: None  # (the demo's final sweep delivers)
    return commands


def load(now: dt.datetime, department, staff, japanese_window, act_as) -> str:
    """Make the demo projects and their reports as ``staff`` (the lead department's user)."""
    act_as(staff)
    known = {name for (name,) in db.session.query(Project.name_zh)}
    firms = db.session.query(Enterprise).filter_by(department_id=department.id) \
        .order_by(Enterprise.id).all() or db.session.query(Enterprise).order_by(Enterprise.id).all()
    if not firms:
        return "0 projects"
    this_month = shanghai_month(now)
    first = this_month
    for _n in range(MONTHS):
        first = (first - dt.timedelta(days=1)).replace(day=1)
    made = 0
    for n, (zh, ja, en, industry, investment, land, site, stage, japanese) in enumerate(PROJECTS):
        if zh in known:
            continue
        start = first if stage != "intention" else this_month
        project = Project(
            name_zh=zh, name_ja=ja, name_en=en, enterprise=firms[n % len(firms)],
            industry=industry, investment=investment, land_area=land, site=site,
            stage="intention", department_id=department.id,
            secretary=japanese_window if japanese and japanese_window else staff,
            target_construction_start=next_month(this_month),
            target_production_start=next_month(this_month).replace(year=this_month.year + 1),
            description=f"{en}: {site}")
        _quiet(ProjectCommands(now=_local(start, 2))).create(project)
        made += 1
        if stage == "intention":
            continue
        # the stages, one a month or so, from the history's first month
        target = stage if stage != "withdrawn" else "admitted"
        steps = ORDER[1:ORDER.index(target) + 1]
        for k, reached in enumerate(steps):
            month = first
            for _m in range(min(k, MONTHS - 1)):
                month = next_month(month)
            _quiet(ProjectCommands(now=_local(month, 3 + k))).perform(
                project, ACTIONS[reached], {"note": "按计划推进"})
        if stage == "withdrawn":
            _quiet(ProjectCommands(now=_local(this_month, 1))).perform(
                project, "withdraw", {"reason": "企业调整全球投资布局，项目暂缓"})
    if not made:  # (loaded before: the months' reports were made with the projects)
        return "0 projects"
    reports = _reports(now, first, this_month, staff)
    return f"{made} projects, {reports} monthly reports"


def _reports(now, first, this_month, staff) -> int:
    """Each past month: the month's reports opened (as the sweep does) and filled in by the
    20th — but one project's last month."""
    filled = 0
    month = first
    while month < this_month:
        open_reports(db.session, _local(month, 1, 0))
        rows = (db.session.query(ProjectReport).join(Project)
                .filter(ProjectReport.month == month, ProjectReport.reported_at.is_(None),
                        Project.stage.in_([str(s) for s in REPORTING_STAGES] + ["producing"]),
                        # (this module's projects: other demos' projects report as they do)
                        Project.name_zh.in_([p[0] for p in PROJECTS]))
                .order_by(ProjectReport.id).all())
        for k, row in enumerate(rows):
            if row.project.name_zh == MISSING and next_month(month) == this_month:
                continue
            progress, problems, steps = PROGRESS[k % len(PROGRESS)]
            at = _local(month, 18 + k % 8) if _local(month, 18) < now else now
            commands = _quiet(ReportCommands(now=min(at, month_end(month).replace(
                tzinfo=dt.UTC) - dt.timedelta(hours=1))))
            before = commands.before(row)
            row.progress, row.problems, row.next_steps = progress, problems, steps
            commands.update(row, before)
            filled += 1
        month = next_month(month)
    open_reports(db.session, now)
    return filled
