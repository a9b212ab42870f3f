"""Demo expert review meetings (measure A1): ten experts of Dalian's universities and
institutes, three chemical projects of the demo's chemical enterprises, each reviewed by a
meeting convened by a third-party institution — one decided (admitted with conditions), one
scoring with one expert's private link still outstanding, one planned. Made by the real
commands as the Investment Promotion Bureau's staff, so timelines and history agree.

Idempotent: experts by name and employer, projects by name, a meeting once per project. The
projects' names say they are the review demo's, so they sit beside the projects' own demo.
"""
from __future__ import annotations

import datetime as dt

from app.core.commands import RecordCommands
from app.extensions import db
from app.registers.enterprises.models import Enterprise
from app.registers.experts.models import Expert
from app.registers.institutions.models import Institution
from app.registers.projects.models import Project
from app.registers.reviews.commands import ReviewCommands
from app.registers.reviews.models import ReviewMeeting

LEAD, STAFF_OF_LEAD = "IPB", "ipb_staff"
# name_zh, name_ja, name_en, field, title, employer
EXPERTS = [
    ("王建国", "王建国", "Wang Jianguo", "chemical_process", "professor", "大连理工大学化工学院"),
    ("李晓红", "李暁紅", "Li Xiaohong", "environment", "professor", "大连海事大学环境科学与工程学院"),
    ("张志强", "張志強", "Zhang Zhiqiang", "safety", "senior", "辽宁省安全科学研究院"),
    ("刘海涛", "劉海涛", "Liu Haitao", "energy", "senior", "大连市节能监测中心"),
    ("陈静", "陳静", "Chen Jing", "economics", "academic", "东北财经大学"),
    ("赵立新", "趙立新", "Zhao Lixin", "chemical_process", "professor", "中国科学院大连化学物理研究所"),
    ("孙明", "孫明", "Sun Ming", "planning", "senior", "大连市规划设计研究院"),
    ("周丽娟", "周麗娟", "Zhou Lijuan", "safety", "engineer", "大连化工研究设计院"),
    ("吴国庆", "呉国慶", "Wu Guoqing", "environment", "senior", "大连市环境科学设计研究院"),
    ("郑文博", "鄭文博", "Zheng Wenbo", "chemical_process", "academic", "大连工业大学"),
]
INSTITUTIONS = [
    ("大连化工研究设计院", "大連化工研究設計院", "Dalian Chemical Research & Design Institute",
     "engineering_management"),
    ("辽宁省石油化工规划设计院", "遼寧省石油化工計画設計院",
     "Liaoning Petrochemical Planning & Design Institute", "technology_services"),
]
# name_zh, name_ja, name_en, enterprise (name_zh), investment, site, state, experts (indexes),
# days before now
PROJECTS = [
    ("年产5万吨电子级化学品项目（专家评审）", "年産5万トン電子グレード化学品プロジェクト（専門家審査）",
     "50,000 t/a electronic-grade chemicals (expert review)", "大连普湾精细化工有限公司", 68000,
     "松木岛化工园区", "decided", (0, 1, 2, 3), 30),
    ("年产3万吨高性能树脂新材料项目（专家评审）", "年産3万トン高性能樹脂新素材プロジェクト（専門家審査）",
     "30,000 t/a high-performance resins (expert review)", "普湾新材料科技有限公司", 45000,
     "松木岛化工园区二期", "scoring", (4, 5, 7), 5),
    ("工程塑料改性扩建项目（专家评审）", "エンジニアリングプラスチック改質増設プロジェクト（専門家審査）",
     "Engineering plastics compounding expansion (expert review)", "大连青木塑料制品有限公司", 12000,
     "普湾新区工业园", "planned", (6, 8, 9), -10),
]
# the signed forms' scores of the decided meeting (four experts) and of the scoring one
SCORES = {
    0: ([85, 80, 72, 78, 75, 88, 82], "pass", None),
    1: ([82, 78, 70, 62, 74, 85, 80], "conditions", "废水预处理方案须补充论证，满足园区污水厂接管标准。"),
    2: ([80, 76, 74, 75, 68, 86, 78], "conditions", "重点监管危险化工工艺须完善自动化控制与SIS系统。"),
    3: ([84, 82, 65, 76, 77, 90, 81], "pass", "能耗指标接近行业先进值。"),
    4: ([78, 75, 80, 82, 80, 76, 74], "pass", None),
    5: ([88, 86, 78, 80, 82, 84, 80], "pass", None),
}


def _experts(departments) -> list[Expert]:
    known = {(e.name_zh, e.employer): e for e in db.session.query(Expert)}
    made = []
    for name_zh, name_ja, name_en, field, title, employer in EXPERTS:
        expert = known.get((name_zh, employer))
        if expert is None:
            expert = Expert(name_zh=name_zh, name_ja=name_ja, name_en=name_en, field=field,
                            title=title, employer=employer, phone="0411-8470" + str(len(made)),
                            department_id=departments[LEAD].id)
            RecordCommands(Expert).create(expert)
        made.append(expert)
    return made


def _institutions() -> list[Institution]:
    known = {i.name_zh: i for i in db.session.query(Institution)}
    made = []
    for name_zh, name_ja, name_en, kind in INSTITUTIONS:
        item = known.get(name_zh)
        if item is None:
            item = Institution(name_zh=name_zh, name_ja=name_ja, name_en=name_en, kind=kind,
                               contact_name="评审办", phone="0411-39000000")
            RecordCommands(Institution).create(item)
        made.append(item)
    return made


def load(now: dt.datetime, people: dict, departments: dict, act_as) -> str:
    """Inside the demo's request and transaction; ``people`` by user name, ``act_as(user)``."""
    act_as(people[STAFF_OF_LEAD])
    experts = _experts(departments)
    institutions = _institutions()
    enterprises = {e.name_zh: e for e in db.session.query(Enterprise).filter(
        Enterprise.name_zh.in_([p[3] for p in PROJECTS]))}
    meetings = 0
    for n, (name_zh, name_ja, name_en, enterprise, investment, site, state, panel,
            days) in enumerate(PROJECTS):
        if enterprise not in enterprises:
            continue
        project = db.session.query(Project).filter_by(name_zh=name_zh).one_or_none()
        if project is None:
            project = Project(name_zh=name_zh, name_ja=name_ja, name_en=name_en,
                              enterprise_id=enterprises[enterprise].id, industry="chemical",
                              investment=investment, site=site, stage="signed",
                              department_id=departments[LEAD].id,
                              secretary=people[STAFF_OF_LEAD],
                              description="拟入驻化工园区，须经专家评审后准入。")
            RecordCommands(Project).create(project)
        if db.session.query(ReviewMeeting.id).filter_by(project_id=project.id).first():
            continue
        _meeting(project, institutions[n % 2], [experts[i] for i in panel], state,
                 now - dt.timedelta(days=days))
        meetings += 1
    # a declared tie: the safety expert of the institute advising the first enterprise
    tied = experts[7]
    first = enterprises.get(PROJECTS[0][3])
    if first is not None and first not in tied.ties:
        tied.ties.append(first)
        db.session.commit()
    return f"{meetings} expert review meetings"


def _meeting(project, institution, panel, state, held) -> None:
    at = held.astimezone(dt.UTC).replace(tzinfo=None, hour=1, minute=30, second=0,
                                         microsecond=0)
    commands = ReviewCommands(now=held - dt.timedelta(days=7))
    meeting = ReviewMeeting(project_id=project.id, institution_id=institution.id, held_at=at,
                            venue="普湾经济区管委会三楼第一会议室", panel=panel,
                            department_id=project.department_id)
    commands.create(meeting)
    if state == "planned":
        return
    commands.now = held
    commands.perform(meeting, "start_scoring", {})
    for index, expert in enumerate(panel):
        if state != "decided" and index >= 2:
            commands.issue_link(meeting, expert.id)  # (out; the expert has not answered yet)
            continue
        scores, opinion, text = SCORES[index if state == "decided" else 4 + index]
        data = {**dict(zip(("technical", "advancement", "energy", "environment", "safety",
                            "economic", "social"), scores, strict=True)),
                "opinion": opinion, "opinion_text": text or ""}
        if index == 1 and state == "scoring":
            commands.issue_link(meeting, expert.id)
            commands.score(meeting, expert.id, data, "link")
        else:
            commands.score(meeting, expert.id, data, "staff")
    if state == "decided":
        before = commands.before(meeting)
        meeting.institution_opinion = ("项目采用先进工艺，技术可行；须完善废水预处理与安全仪表系统后"
                                       "方可开工建设。建议有条件准入。")
        commands.update(meeting, before)
        commands.now = held + dt.timedelta(days=2)
        commands.perform(meeting, "decide", {
            "decision": "admit_conditions",
            "rationale": "专家组四名专家均同意通过（其中两名附条件），第三方机构建议有条件准入。"})
