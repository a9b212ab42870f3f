"""The events' month calendar: coloured by kind, linking to each event, and showing exactly the
events the list shows the reader — its own, and those it co-operates on."""
from __future__ import annotations

import datetime as dt

from tests.core.test_list_at_scale import page_queries

MONTH = "2026-12"
DAY = dt.datetime(2026, 12, 10, 1, 0)


def test_the_month_shows_the_readers_events_by_kind_with_links(auth, events, pcb):
    own = events.make("EDB", kind="job_fair", name_zh="春风行动招聘会", starts_at=DAY)
    co = events.make("EDB", co=("IPB",), kind="trade_fair", name_zh="日本机械展",
                     starts_at=DAY + dt.timedelta(days=3))
    ipb = events.make("IPB", name_zh="投资政策培训", starts_at=DAY)
    cancelled = events.make("EDB", name_zh="统计培训", starts_at=DAY, state="cancelled")
    edb = auth.client("edb", lang="zh").get(f"/events/calendar/?month={MONTH}")
    html = edb.get_data(as_text=True)
    assert edb.status_code == 200
    assert f'/events/show/{own}"' in html and f'/events/show/{co}"' in html
    for kind in ("专题培训", "人才招聘会", "银企对接会", "展会"):  # the legend: colour by kind
        assert kind in html
    assert f'/events/show/{ipb}"' not in html
    assert f'/events/show/{cancelled}"' in html and "已取消：统计培训" in html
    ipb_page = auth.client("ipb", lang="zh").get(f"/events/calendar/?month={MONTH}")
    shown = ipb_page.get_data(as_text=True)
    assert f'/events/show/{co}"' in shown and f'/events/show/{ipb}"' in shown
    assert f'/events/show/{own}"' not in shown
    other = auth.client(pcb, lang="ja").get(f"/events/calendar/?month={MONTH}")
    assert other.status_code == 200
    assert "/events/show/" not in other.get_data(as_text=True)


def test_a_month_costs_the_same_queries_for_2_or_30_events(app, auth, events):
    client = auth.client("ipb", lang="zh")
    for n in range(2):
        events.make("EDB", co=("IPB",), starts_at=DAY + dt.timedelta(days=n))
    few = page_queries(app, client, f"/events/calendar/?month={MONTH}")
    for n in range(28):
        events.make("EDB", co=("IPB", "FIN"), starts_at=DAY + dt.timedelta(days=n % 20))
    assert page_queries(app, client, f"/events/calendar/?month={MONTH}") == few <= 6
