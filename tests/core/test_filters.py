"""Text search in lists and the REST API: literal wildcards, case-insensitive Latin letters,
Chinese and Japanese terms, the same on both paths."""
import prison
import pytest

from app.core.filters import is_caseless


@pytest.fixture
def named(enterprises):
    names = {
        "percent": ("达标率50%企业", "Fifty Percent Ltd"),
        "fifty": ("达标率50家企业", "Fifty Count Ltd"),
        "underscore": ("普湾_化工", "Puwan Chemical Co"),
        "plain": ("普湾A化工", "puwan chemical works"),
    }
    return {key: enterprises.create("IPB", name_zh=zh, name_en=en)
            for key, (zh, en) in names.items()}


def _listed(client, column: str, opr_index: int, value: str) -> set[str]:
    # The list shows each name in the reader's language: read it in the searched column's.
    client.get(f"/lang/{column.rsplit('_', 1)[-1]}")
    html = client.get(f"/enterprises/list/?_flt_{opr_index}_{column}={value}").get_data(
        as_text=True)
    return {name for name in ("达标率50%企业", "达标率50家企业", "普湾_化工", "普湾A化工",
                              "Fifty Percent Ltd", "Fifty Count Ltd") if name in html}


def _api(client, token, column: str, opr: str, value: str) -> set[str]:
    q = prison.dumps({"filters": [{"col": column, "opr": opr, "value": value}],
                      "columns": ["name_zh"]})
    resp = client.get(f"/api/v1/enterprise/?q={q}", headers=token)
    assert resp.status_code == 200, resp.json
    return {row["name_zh"] for row in resp.json["result"]}


def test_percent_and_underscore_are_searched_as_characters(named, auth, client):
    ipb = auth.client("ipb")
    token = auth.token("ipb")
    # "contains" is FAB's third text filter (_flt_2_); the API's opr is "ct"
    assert _listed(ipb, "name_zh", 2, "50%25") == {"达标率50%企业"}
    assert _api(client, token, "name_zh", "ct", "50%") == {"达标率50%企业"}
    assert _api(client, token, "name_zh", "ct", "湾_") == {"普湾_化工"}
    assert _api(client, token, "name_zh", "nct", "50%") == {"达标率50家企业", "普湾_化工",
                                                             "普湾A化工"}


def test_latin_letters_match_whatever_their_case(named, auth, client):
    token = auth.token("ipb")
    assert _api(client, token, "name_en", "ct", "PUWAN") == {"普湾_化工", "普湾A化工"}
    assert _api(client, token, "name_en", "sw", "fifty p") == {"达标率50%企业"}
    assert _api(client, token, "name_zh", "ct", "a化") == {"普湾A化工"}


def test_chinese_terms_find_their_records_on_list_and_api(named, auth, client):
    ipb = auth.client("ipb")
    assert _listed(ipb, "name_zh", 2, "达标率") == {"达标率50%企业", "达标率50家企业"}
    assert _api(client, auth.token("ipb"), "name_zh", "ew", "化工") == {"普湾_化工", "普湾A化工"}


def test_a_search_never_reaches_another_departments_records(named, enterprises, auth, client):
    enterprises.create("EDB", name_zh="达标率50%他部门")
    assert _api(client, auth.token("ipb"), "name_zh", "ct", "50%") == {"达标率50%企业"}


@pytest.mark.parametrize("value, caseless", [
    ("融资", True), ("PW-2026-000123", False), ("0411-8765", True), ("ｶﾅ", True),
    ("loan", False), ("Ä", False), ("ß", False),
])
def test_only_terms_without_letters_of_two_cases_are_caseless(value, caseless):
    assert is_caseless(value) is caseless


def test_fab_stock_interfaces_keep_fabs_filters_whatever_ours_did_before(named, auth, client):
    from flask_appbuilder.models.sqla import filters as fab
    from flask_appbuilder.models.sqla.interface import SQLAInterface

    from app.core.models import Department

    stock = SQLAInterface(Department).get_filters(["name_zh"])
    _api(client, auth.token("ipb"), "name_zh", "ct", "50%")  # our filters are made after it
    stock.rest_add_filters([{"col": "name_zh", "opr": "ct", "value": "x"}])
    assert type(stock.filters[0]) is fab.FilterContains


def test_a_time_typed_into_a_filter_is_shanghai_time_in_lists_and_the_api(orders, auth):
    """00:20 and 00:40 on 28 Nov in Shanghai are 16:20 and 16:40 on the 27th in UTC: a filter
    "after 2026-11-28 00:30" finds the later order only, as the clerk who typed it means."""
    early = orders.create(subject="零点二十分来电", received_at="2026-11-28T00:20")
    late = orders.create(subject="零点四十分来电", received_at="2026-11-28T00:40")
    office = auth.client("office")
    after = office.get("/workorders/list/?_flt_1_received_at=2026-11-28 00:30").get_data(
        as_text=True)
    before = office.get("/workorders/list/?_flt_2_received_at=2026-11-28 00:30").get_data(
        as_text=True)
    assert "零点四十分来电" in after and "零点二十分来电" not in after
    assert "零点二十分来电" in before and "零点四十分来电" not in before
    q = prison.dumps({"filters": [{"col": "received_at", "opr": "gt",
                                   "value": "2026-11-28 00:30"}], "columns": ["id"]})
    resp = office.get(f"/api/v1/workorder/?q={q}", headers=auth.token("office"))
    assert [row["id"] for row in resp.json["result"]] == [late]
    assert early != late
