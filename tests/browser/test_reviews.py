"""An expert review meeting in Chromium, in zh and ja: IPB's staff create a meeting for a
chemical project with a panel of three, start scoring, give one expert a private link through
which the expert scores in Japanese (seeing the project, then the panel's spread), enter another
expert's signed form, see the last one missing when deciding, enter it, record the institution's
opinion and decide — and the page shows the figures, the opinions and the decision."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from app.extensions import db
from app.registers.reviews.models import ReviewMeeting
from tests.browser.conftest import log_in, new_page
from tests.registers.reviews.conftest import Reviews

pytestmark = pytest.mark.browser
LOCALES = {"zh": "zh-CN", "ja": "ja-JP"}
OUTSTANDING = {"zh": "尚有 1 份未提交", "ja": "未提出 1 件"}
DECIDED = {"zh": "有条件准予入园", "ja": "条件付きで入園を認める"}
SUBMITTED = {"zh": "评审意见已提交并锁定", "ja": "評価を提出しました"}


def _score(page, form, scores, opinion, text=""):
    for name, score in zip(("technical", "advancement", "energy", "environment", "safety",
                            "economic", "social"), scores, strict=True):
        form.locator(f"input[name={name}]").fill(str(score))
    form.locator("select[name=opinion]").select_option(opinion)
    if text:
        form.locator("textarea[name=opinion_text]").fill(text)
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()


@pytest.mark.parametrize("lang", ["zh", "ja"])
def test_staff_and_an_expert_score_a_meeting_and_staff_decide(app, browser, live_server,
                                                              enterprises, lang):
    reviews = Reviews(app, enterprises)
    first, second, third = reviews.experts[:3]
    page = new_page(browser, live_server, LOCALES[lang])
    expert_page = new_page(browser, live_server, "ja-JP")
    try:
        log_in(page, live_server, "ipb", lang)
        page.goto(f"{live_server}/reviews/add")
        form = page.locator("#model_form")
        form.locator("select[name=project]").select_option(str(reviews.project))
        form.locator("select[name=institution]").select_option(str(reviews.institution))
        form.locator("input[name=held_at]").press_sequentially("2026-12-10 09:30")
        page.keyboard.press("Escape")
        form.locator("select[name=panel]").select_option([str(first), str(second), str(third)],
                                                         force=True)
        form.locator("input[name=venue]").fill("管委会三楼会议室")
        form.locator("button[type=submit]").first.click()
        page.wait_for_load_state()
        expect(page.locator(".alert-success")).to_have_count(1)
        with app.app_context():
            pk = db.session.query(ReviewMeeting.id).scalar()
            db.session.remove()
        show = f"{live_server}/reviews/show/{pk}"
        page.goto(show)
        page.locator("#action-start_scoring button").click()
        page.wait_for_load_state()

        # a private link for the first expert, who scores in Japanese
        page.locator(f"#link-{first} button").click()
        page.wait_for_load_state()
        link = re.search(r"/review/[A-Za-z0-9_\-]+",
                         page.locator(".alert-success").first.inner_text()).group(0)
        expert_page.goto(f"{live_server}{link}?_l_=ja")
        expect(expert_page.locator("#review-project")).to_contain_text("年产二十万吨精细化工新材料项目")
        _score(expert_page, expert_page.locator("#review-form"), [85, 80, 72, 78, 75, 88, 82],
               "pass")
        expect(expert_page.locator("#review-done")).to_contain_text("評価を提出しました")
        expect(expert_page.locator("#review-spread")).to_contain_text("技術的実現可能性")
        assert expert_page.outside_requests == []

        # the second expert's signed form, entered by staff
        page.goto(show)
        page.locator(f"#enter-{second} summary").click()
        _score(page, page.locator(f"#score-{second}"), [82, 78, 70, 62, 74, 85, 80],
               "conditions", "废水预处理方案须补充论证")
        expect(page.locator(f"#review-{second} .opinion")).to_contain_text(
            "废水预处理方案须补充论证")

        # deciding with one review outstanding is refused, and says so
        decide = page.locator("#action-decide")
        decide.locator("select[name=decision]").select_option("admit_conditions")
        decide.locator("textarea[name=rationale], input[name=rationale]").fill("专家组意见一致")
        decide.locator("button[type=submit]").click()
        page.wait_for_load_state()
        expect(page.locator(".alert-danger").first).to_contain_text(OUTSTANDING[lang])

        page.locator(f"#enter-{third} summary").click()
        _score(page, page.locator(f"#score-{third}"), [40, 76, 74, 75, 68, 86, 78], "pass")
        expect(page.locator("#review-figures #figures-technical .range")).to_have_text("40–85")
        expect(page.locator(f"#review-{third} .outlier")).to_have_count(1)

        page.goto(f"{live_server}/reviews/edit/{pk}")
        page.locator("#model_form textarea[name=institution_opinion]").fill("建议有条件准入")
        page.locator("#model_form button[type=submit]").first.click()
        page.wait_for_load_state()
        page.goto(show)
        decide = page.locator("#action-decide")
        decide.locator("select[name=decision]").select_option("admit_conditions")
        decide.locator("textarea[name=rationale], input[name=rationale]").fill("专家组意见一致")
        decide.locator("button[type=submit]").click()
        page.wait_for_load_state()
        expect(page.locator("body")).to_contain_text(DECIDED[lang])
        with app.app_context():
            meeting = db.session.get(ReviewMeeting, pk)
            assert (meeting.state, meeting.decision) == ("decided", "admit_conditions")
            db.session.remove()
        assert page.outside_requests == []
    finally:
        page.context.close()
        expert_page.context.close()
