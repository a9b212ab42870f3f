"""The demo's Japanese window (measure A4): about thirty services of the window's staff
(``ja_window``) to the demo's Japanese-funded enterprises over the last four months, through the
log's command at the times they were given — a few with a follow-up opened as a work order in
the same step, which the Office then dispatches.

Deterministic (seeded) and idempotent: the window's services are made once (the whole demo load
is one transaction, so they are all there or none is).
"""
from __future__ import annotations

import datetime as dt
import random

from app.extensions import db
from app.registers.enterprises.models import Enterprise
from app.registers.window.commands import WindowServiceCommands
from app.registers.window.models import WindowService
from app.registers.workorders.commands import WorkOrderCommands

SEED = 2604
SERVICES = 30
# matter -> [(result, follow-up or None)], in the language of the service
RESULTS = {
    "consultation": [("工場増設の手続きの流れを日本語で説明した", None),
                     ("社員寮の用地について相談を受け、候補地を紹介した", None)],
    "approval_guidance": [
        ("建築工事許可の必要書類を一覧で渡し、記入方法を説明した",
         "消防設計審査の予約日程を行政審批局に確認し、企業へ連絡すること"),
        ("環境影響評価の届出様式を案内した", None)],
    "translation": [("行政審批局との打合せで通訳した（約1時間）", None),
                    ("営業許可証変更の申請書を日本語に翻訳して説明した", None)],
    "policy": [("研究開発費の追加控除の要件を説明した", None),
               ("展示会出展補助の申請方法を説明した",
                "出展補助の申請期限を経済発展局に確認し、回答すること")],
    "complaint": [("工業団地内の道路工事による騒音の苦情を受け付けた",
                   "道路工事の作業時間について計画建設局に確認と改善を依頼すること")],
    "other": [("在留資格更新に必要な在職証明の書式を案内した", None)],
}
WEIGHTS = {"consultation": 5, "approval_guidance": 6, "translation": 4, "policy": 5,
           "complaint": 2, "other": 1}
LANGUAGES = (("ja", 8), ("zh", 2), ("en", 1))


def _pick(rng: random.Random, weights) -> str:
    items = list(weights.items()) if isinstance(weights, dict) else list(weights)
    return rng.choices([k for k, _w in items], [w for _k, w in items])[0]


def load_window(now: dt.datetime, people: dict, departments: dict, act_as) -> int:
    """The window's services (inside the demo's request and transaction); how many were made."""
    window, dispatcher = people["ja_window"], people["office_dispatcher"]
    if db.session.query(WindowService.id).filter_by(handler_id=window.id).first():
        return 0
    japanese = (db.session.query(Enterprise).filter(Enterprise.japanese_funded.is_(True))
                .order_by(Enterprise.name_zh).all())
    if not japanese:
        return 0
    rng = random.Random(SEED)
    made = 0
    for n in range(SERVICES):
        # spread over 120 days, on working hours in Shanghai (UTC+8: 01:00–09:00 UTC)
        day = now - dt.timedelta(days=120 * (SERVICES - n) / SERVICES)
        served = day.replace(hour=rng.randrange(1, 9), minute=rng.choice((0, 15, 30, 45)),
                             second=0, microsecond=0)
        if served >= now:
            served = now - dt.timedelta(hours=1)
        matter = _pick(rng, WEIGHTS)
        result, follow_up = rng.choice(RESULTS[matter])
        language = "ja" if follow_up else _pick(rng, LANGUAGES)
        minutes = rng.choice((15, 20, 30, 45, 60, 90))
        service = WindowService(
            enterprise_id=rng.choice(japanese).id, matter=matter, language=language,
            served_at=served.replace(tzinfo=None), duration_minutes=minutes, result=result,
            follow_up=follow_up, handler_id=window.id)
        service.open_work_order = follow_up is not None
        done = served + dt.timedelta(minutes=minutes)
        act_as(window)
        commands = WindowServiceCommands(now=done)
        commands.after_commit = lambda session: None  # (the demo's final sweep delivers)
        commands.create(service)
        made += 1
        if service.work_order is not None and n < SERVICES - 3:
            # the Office dispatches it within the hour (the latest ones still wait)
            act_as(dispatcher)
            orders = WorkOrderCommands(now=done + dt.timedelta(minutes=40))
            orders.after_commit = lambda session: None
            orders.perform(service.work_order, "dispatch",
                           {"department": departments["AAB"].id})
    return made
