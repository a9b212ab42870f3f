"""Review meetings made as staff would find them: a chemical project of IPB, a convening
institution, experts (one tied to the project's enterprise), and a meeting in a given state
with its panel (the lifecycle's own tests move states through the pages)."""
from __future__ import annotations

import re

import pytest

from app.extensions import db
from app.registers.enterprises.models import Enterprise
from app.registers.experts.models import Expert
from app.registers.institutions.models import Institution
from app.registers.projects.models import Project
from app.registers.reviews.models import DIMENSIONS, Review, ReviewMeeting
from tests.conftest import csrf_token
from tests.factories import Make, department_id


class Reviews:
    def __init__(self, app, enterprises):
        self.app = app
        self.enterprise = enterprises.create("IPB")
        with app.app_context():
            project = Project(name_zh=Make.text("年产二十万吨精细化工新材料项目"),
                              enterprise_id=self.enterprise, industry="chemical",
                              stage="signed", department_id=department_id("IPB"),
                              description="松木岛化工园区，精细化工新材料")
            institution = Institution(name_zh=Make.text("大连化工设计院"),
                                      kind="engineering_management")
            db.session.add_all([project, institution])
            db.session.commit()
            self.project, self.institution = project.id, institution.id
            db.session.remove()
        self.experts = [self.expert(f"专家{n}") for n in range(6)]

    def expert(self, name: str, tied: bool = False) -> int:
        with self.app.app_context():
            expert = Expert(name_zh=Make.text(name), field="safety", employer="大连理工大学",
                            department_id=department_id("IPB"))
            if tied:
                expert.ties = [db.session.get(Enterprise, self.enterprise)]
            db.session.add(expert)
            db.session.commit()
            pk = expert.id
            db.session.remove()
        return pk

    def meeting(self, panel: int = 3, state: str = "planned", **values) -> int:
        with self.app.app_context():
            meeting = ReviewMeeting(project_id=self.project, institution_id=self.institution,
                                    held_at=Make.instant(days=3), venue="管委会三楼会议室",
                                    state=state, department_id=department_id("IPB"), **values)
            meeting.panel = [db.session.get(Expert, pk) for pk in self.experts[:panel]]
            db.session.add(meeting)
            db.session.commit()
            pk = meeting.id
            db.session.remove()
        return pk

    def submitted(self, meeting: int, expert: int, scores: list[int], opinion="pass",
                  text=None) -> None:
        with self.app.app_context():
            review = db.session.get(Review, (meeting, expert))
            for key, score in zip(DIMENSIONS, scores, strict=True):
                setattr(review, key, score)
            review.opinion, review.opinion_text, review.channel = opinion, text, "staff"
            review.submitted_at = Make.instant(days=-1)
            db.session.commit()
            db.session.remove()

    def review(self, meeting: int, expert: int) -> dict:
        with self.app.app_context():
            review = db.session.get(Review, (meeting, expert))
            values = {"submitted": review.submitted, "channel": review.channel,
                      "token_hash": review.token_hash, **review.scores(),
                      "opinion": review.opinion}
            db.session.remove()
        return values

    def stored(self, meeting: int) -> dict:
        with self.app.app_context():
            item = db.session.get(ReviewMeeting, meeting)
            values = {"state": item.state, "decision": item.decision,
                      "rationale": item.rationale, "panel": sorted(e.id for e in item.panel),
                      "events": [e.action for e in item.events]}
            db.session.remove()
        return values


@pytest.fixture
def reviews(app, enterprises):
    return Reviews(app, enterprises)


def form(scores, opinion="pass", text="") -> dict:
    data = dict(zip(DIMENSIONS, map(str, scores), strict=True))
    return {**data, "opinion": opinion, "opinion_text": text}


def post(client, path, data, page):
    return client.post(path, data={**data, "csrf_token": csrf_token(client, page)})


def link_in(html: str) -> str:
    match = re.search(r"(/review/[A-Za-z0-9_\-]+)", html)
    assert match, "no private link on the page"
    return match.group(1)
