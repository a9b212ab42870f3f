"""Expert review meetings (A1) as staff of the project's lead department (IPB) run them: the
panel's size and conflicts of interest, scores entered from the signed forms, the expert's
private link, reopening, deciding, the figures, the XLSX sheet and the admission check."""
from __future__ import annotations

import io

from openpyxl import load_workbook

from app.core.models import RecordChange
from app.extensions import db
from app.registers.projects.hooks import ADMISSION_CHECKS
from app.registers.projects.models import Project
from app.registers.reviews.admission import review_admits
from app.registers.reviews.models import ReviewMeeting
from tests.registers.reviews.conftest import form, link_in, post

SCORES = [80, 82, 78, 85, 90, 75, 70]


def _page(pk):
    return f"/reviews/show/{pk}"


def _add(client, reviews, panel, page="/reviews/add"):
    return client.post("/reviews/add", data={
        "project": reviews.project, "institution": reviews.institution,
        "held_at": "2026-12-10 09:30", "venue": "管委会三楼会议室", "panel": panel,
        "csrf_token": _csrf(client, page)})


def _csrf(client, page):
    from tests.conftest import csrf_token
    return csrf_token(client, page)


def _count(app) -> int:
    with app.app_context():
        n = db.session.query(ReviewMeeting).count()
        db.session.remove()
    return n


def test_staff_create_a_meeting_with_a_panel_of_three(app, auth, reviews):
    ipb = auth.client("ipb", lang="zh")
    resp = _add(ipb, reviews, reviews.experts[:3])
    assert resp.status_code == 302, resp.get_data(as_text=True)[-2000:]
    with app.app_context():
        meeting = db.session.query(ReviewMeeting).one()
        assert sorted(e.id for e in meeting.panel) == sorted(reviews.experts[:3])
        assert meeting.department_id == db.session.get(Project, reviews.project).department_id
        db.session.remove()


def test_a_panel_of_six_is_refused_and_nothing_is_saved(app, auth, reviews):
    ipb = auth.client("ipb", lang="zh")
    resp = _add(ipb, reviews, reviews.experts[:6])
    html = resp.get_data(as_text=True)
    assert "评审专家组由 3 至 5 名专家组成（已选 6 名）" in html
    assert _count(app) == 0


def test_a_tied_expert_is_refused_with_the_tie_named(app, auth, reviews):
    tied = reviews.expert("关联专家", tied=True)
    ipb = auth.client("ipb", lang="zh")
    html = _add(ipb, reviews, [*reviews.experts[:2], tied]).get_data(as_text=True)
    assert "已申报与本项目企业" in html and "关联专家" in html
    assert _count(app) == 0


def test_scoring_does_not_start_with_fewer_than_three_experts(reviews, auth):
    pk = reviews.meeting(panel=2)
    ipb = auth.client("ipb", lang="ja")
    resp = post(ipb, f"/reviews/transition/{pk}/start_scoring", {}, _page(pk))
    assert resp.status_code == 303
    assert "審査委員会は専門家 3～5 名で構成します（2 名選択）" in ipb.get(_page(pk)).get_data(
        as_text=True)
    assert reviews.stored(pk)["state"] == "planned"


def test_the_panel_is_fixed_once_scoring_starts(app, reviews, auth):
    pk = reviews.meeting(panel=3, state="scoring")
    ipb = auth.client("ipb", lang="en")
    resp = ipb.post(f"/reviews/edit/{pk}", data={
        "project": reviews.project, "institution": reviews.institution,
        "held_at": "2026-12-10 09:30", "panel": reviews.experts[:4],
        "csrf_token": _csrf(ipb, f"/reviews/edit/{pk}")})
    assert "The panel is fixed once scoring has started." in resp.get_data(as_text=True)
    assert reviews.stored(pk)["panel"] == sorted(reviews.experts[:3])


def test_staff_scores_are_validated_with_translated_errors_and_change_nothing(reviews, auth):
    pk = reviews.meeting(state="scoring")
    expert = reviews.experts[0]
    ipb = auth.client("ipb", lang="zh")
    resp = post(ipb, f"/reviews/score/{pk}/{expert}",
                form([101, 80, 80, 80, 80, 80, "abc"], "conditions", ""), _page(pk))
    html = ipb.get(resp.location).get_data(as_text=True)
    assert "请填写 0 至 100 之间的整数。" in html and "请说明条件或理由。" in html
    assert reviews.review(pk, expert)["submitted"] is False
    assert reviews.review(pk, expert)["technical"] is None


def test_a_submitted_review_is_locked_until_staff_reopen_it(app, reviews, auth):
    pk = reviews.meeting(state="scoring")
    expert = reviews.experts[0]
    ipb = auth.client("ipb", lang="en")
    assert post(ipb, f"/reviews/score/{pk}/{expert}", form(SCORES), _page(pk)).status_code == 302
    assert reviews.review(pk, expert)["channel"] == "staff"
    resp = post(ipb, f"/reviews/score/{pk}/{expert}", form([10] * 7), _page(pk))
    assert "submitted and is locked" in ipb.get(resp.location).get_data(as_text=True)
    assert reviews.review(pk, expert)["technical"] == 80
    # another department cannot even find the meeting to reopen its review
    edb = auth.client("edb", lang="en")
    assert post(edb, f"/reviews/reopen/{pk}/{expert}", {"reason": "x"}, "/reviews/list/"
                ).status_code == 404
    assert reviews.review(pk, expert)["submitted"] is True
    resp = post(ipb, f"/reviews/reopen/{pk}/{expert}", {"reason": "专家更正安全评分"}, _page(pk))
    assert resp.status_code == 302
    assert reviews.review(pk, expert)["submitted"] is False
    assert reviews.stored(pk)["events"][-2:] == ["score", "reopen"]
    with app.app_context():
        actions = [c.action for c in db.session.query(RecordChange).filter_by(
            table_name="review_meeting", record_id=pk).order_by(RecordChange.id)]
        db.session.remove()
    assert actions[-2:] == ["score", "reopen"]


def test_the_experts_private_link_hides_others_scores_until_their_own_is_in(reviews, auth,
                                                                              client):
    pk = reviews.meeting(state="scoring")
    first, second = reviews.experts[:2]
    reviews.submitted(pk, first, [37, 38, 39, 41, 43, 47, 53])
    ipb = auth.client("ipb", lang="en")
    resp = post(ipb, f"/reviews/link/{pk}/{second}", {}, _page(pk))
    link = link_in(ipb.get(resp.location).get_data(as_text=True))
    assert reviews.review(pk, second)["token_hash"] is not None
    assert link.split("/")[-1] not in str(reviews.review(pk, second))  # (only its sha256)
    page = client.get(f"{link}?_l_=ja")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "年产二十万吨精细化工新材料项目" in html
    assert "技術的実現可能性" in html
    assert not any(f">{n}<" in html for n in (37, 41, 47, 53))
    token = _csrf_of(html)
    done = client.post(link, data={**form(SCORES, "conditions", "补充安全评价"),
                                   "csrf_token": token})
    assert done.status_code == 201
    spread = done.get_data(as_text=True)
    assert "37–80" in spread  # (the panel's range on technical feasibility, no names)
    assert reviews.review(pk, second)["channel"] == "link"
    assert client.get(link).status_code == 404  # a used link
    assert client.get("/review/not-a-token").status_code == 404


def _csrf_of(html):
    import re
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)


def test_deciding_needs_every_review_and_then_admits_the_project(app, reviews, auth):
    pk = reviews.meeting(state="scoring", institution_opinion="项目技术成熟，建议有条件准入")
    for expert in reviews.experts[:2]:
        reviews.submitted(pk, expert, SCORES)
    ipb = auth.client("ipb", lang="en")
    data = {"decision": "admit_conditions", "rationale": "专家组意见一致，需补充安全评价"}
    resp = post(ipb, f"/reviews/transition/{pk}/decide", data, _page(pk))
    assert "1 outstanding" in ipb.get(resp.location).get_data(as_text=True)
    assert reviews.stored(pk)["state"] == "scoring"
    with app.app_context():
        project = db.session.get(Project, reviews.project)
        assert review_admits(db.session, project) is not None
        db.session.remove()
    reviews.submitted(pk, reviews.experts[2], SCORES)
    assert post(ipb, f"/reviews/transition/{pk}/decide", data, _page(pk)).status_code == 302
    assert reviews.stored(pk)["decision"] == "admit_conditions"
    with app.app_context():
        project = db.session.get(Project, reviews.project)
        assert review_admits in ADMISSION_CHECKS
        assert review_admits(db.session, project) is None
        db.session.remove()


def test_a_not_admitting_decision_does_not_admit(app, reviews):
    reviews.meeting(state="decided", decision="not_admit")
    with app.app_context():
        assert review_admits(db.session, db.session.get(Project, reviews.project))
        db.session.remove()


def test_the_meeting_page_shows_the_figures_and_flags_the_far_score(reviews, auth):
    pk = reviews.meeting(panel=4, state="scoring")
    for expert, technical in zip(reviews.experts[:4], (80, 82, 78, 40), strict=True):
        reviews.submitted(pk, expert, [technical, 80, 80, 80, 80, 80, 80])
    html = auth.client("ipb", lang="en").get(_page(pk)).get_data(as_text=True)
    # technical: 80, 82, 78, 40 → mean 70.0, median 79.0, 40–82, σ = √((10²+12²+8²+30²)/4) = √302 ≈ 17.38
    assert '<td class="mean">70.0</td><td class="median">79.0</td><td class="range">40–82</td>' \
        '<td class="stdev">17.38</td>' in html
    assert html.count("outlier") == 1


def test_the_xlsx_sheet_has_expert_by_dimension_with_means(reviews, auth):
    pk = reviews.meeting(state="scoring")
    for expert, technical in zip(reviews.experts[:3], (70, 80, 90), strict=True):
        reviews.submitted(pk, expert, [technical, 60, 60, 60, 60, 60, 60])
    resp = auth.client("ipb", lang="en").get(f"/reviews/xlsx/{pk}")
    assert resp.status_code == 200
    sheet = load_workbook(io.BytesIO(resp.data)).active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[1][:3] == ["Expert", "Technical feasibility", "Advancement"]
    assert sorted(r[1] for r in rows[2:5]) == [70, 80, 90]
    mean = next(r for r in rows if r[0] == "Mean")
    assert mean[1:8] == [80, 60, 60, 60, 60, 60, 60]
    assert auth.client("edb", lang="en").get(f"/reviews/xlsx/{pk}").status_code == 404


def test_the_meeting_page_costs_the_same_queries_with_three_or_five_experts(app, reviews, auth):
    from tests.core.test_list_at_scale import Statements

    ipb = auth.client("ipb", lang="en")

    def queries(pk) -> int:
        ipb.get(_page(pk))
        counter = Statements(app)
        try:
            assert ipb.get(_page(pk)).status_code == 200
        finally:
            counter.close()
        return counter.n

    small, large = reviews.meeting(panel=3, state="scoring"), reviews.meeting(panel=5,
                                                                             state="scoring")
    for expert in reviews.experts[:5]:
        reviews.submitted(large, expert, SCORES)
    reviews.submitted(small, reviews.experts[0], SCORES)
    assert queries(small) == queries(large)


def test_rest_shares_the_commands_who_then_state_then_values(reviews, auth, app):
    pk = reviews.meeting(state="scoring")
    expert = reviews.experts[0]
    api = app.test_client()
    path = f"/api/v1/review_meeting/{pk}/review/{expert}"
    payload = dict(zip(("technical", "advancement", "energy", "environment", "safety",
                        "economic", "social"), SCORES, strict=True)) | {"opinion": "pass"}
    assert api.post(path, json=payload, headers=auth.token("edb")).status_code == 404
    ipb = auth.token("ipb")
    bad = api.post(path, json={**payload, "safety": -1}, headers=ipb)
    assert bad.status_code == 422 and "safety" in bad.json["errors"]
    assert reviews.review(pk, expert)["submitted"] is False
    assert api.post(path, json=payload, headers=ipb).json["submitted"] is True
    assert api.post(path, json=payload, headers=ipb).status_code == 409
    assert api.post(f"{path}/link", headers=ipb).status_code == 409
    assert api.post(f"{path}/reopen", json={"reason": "更正"}, headers=ipb).status_code == 200
    link = api.post(f"{path}/link", headers=ipb).json["link"]
    assert app.test_client().get(link.split("localhost")[-1]).status_code == 200


def test_the_projects_page_lists_its_review_meetings(reviews, auth):
    pk = reviews.meeting(state="decided", decision="admit")
    html = auth.client("ipb", lang="zh").get(f"/projects/show/{reviews.project}").get_data(
        as_text=True)
    assert f"/reviews/show/{pk}" in html and "准予入园" in html


def test_a_link_stops_working_when_the_meeting_is_cancelled(reviews, auth, client):
    pk = reviews.meeting(state="scoring")
    ipb = auth.client("ipb", lang="en")
    resp = post(ipb, f"/reviews/link/{pk}/{reviews.experts[0]}", {}, _page(pk))
    link = link_in(ipb.get(resp.location).get_data(as_text=True))
    assert client.get(f"{link}?_l_=zh").status_code == 200
    assert post(ipb, f"/reviews/transition/{pk}/cancel", {"reason": "项目撤回"},
                _page(pk)).status_code == 302
    assert client.get(link).status_code == 404
