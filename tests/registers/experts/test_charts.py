"""The experts' chart names its groups by the field's declared choices, in the reader's language."""
from app.core import registry
from tests.factories import sample_record


def test_experts_by_field_reads_the_fields_names_in_japanese(app, auth):
    experts = registry.get("expert")
    sample_record(app, experts, "IPB", field="safety")
    sample_record(app, experts, "IPB", field="safety")
    sample_record(app, experts, "EDB", field="energy")  # another department's: not counted
    resp = auth.client("ipb", lang="ja").get("/experts/charts/data.json")
    assert resp.status_code == 200
    chart = next(c for c in resp.json if c["key"] == "field")
    assert dict(zip(chart["labels"], chart["values"], strict=True)) == {"安全生産": 2}
