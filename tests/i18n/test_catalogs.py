"""zh and ja catalogs are complete: no empty or fuzzy entry, and every string that our code or
FAB's pages can show has an entry (so a newly added English string fails here)."""
import importlib.util
import tempfile
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]


def _catalog(lang):
    with (ROOT / "translations" / lang / "LC_MESSAGES" / "messages.po").open("rb") as fh:
        return read_po(fh, locale=lang)


@pytest.mark.parametrize("lang", ["zh", "ja"])
def test_no_empty_or_fuzzy_entries(lang):
    catalog = _catalog(lang)
    empty = [m.id for m in catalog if m.id and not m.string]
    fuzzy = [m.id for m in catalog if m.id and m.fuzzy]
    assert empty == [] and fuzzy == []
    assert not catalog.fuzzy, "the catalog header is marked fuzzy"


@pytest.mark.parametrize("lang", ["zh", "ja"])
def test_placeholders_survive_translation(lang):
    import re

    bad = [m.id for m in _catalog(lang)
           if m.id and sorted(re.findall(r"%\(\w+\)s", m.id)) != sorted(re.findall(r"%\(\w+\)s", m.string))]
    assert bad == []


def test_every_string_in_code_and_fab_templates_has_an_entry():
    spec = importlib.util.spec_from_file_location("update", ROOT / "translations" / "update.py")
    update = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(update)
    with tempfile.TemporaryDirectory() as tmp:
        wanted = {m.id for m in update.extract(update.FAB, Path(tmp) / "f.pot") if m.id}
        wanted |= {m.id for m in update.extract(ROOT / "app", Path(tmp) / "a.pot") if m.id}
    for lang in ("zh", "ja", "en"):
        have = {m.id for m in _catalog(lang) if m.id}
        assert sorted(wanted - have) == [], lang
