"""Refresh translations/{zh,ja,en}/LC_MESSAGES/messages.po from our code *and* FAB's.

FAB's own catalogs are stale (and it ships ja only as ja_JP), so our catalogs carry every string
FAB's pages show, too. Existing translations are kept; new entries are pre-filled from FAB's
catalogs where it has one, and left empty otherwise (the test suite fails on empty entries).

    python translations/update.py
"""
from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

import flask_appbuilder
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
FAB = Path(flask_appbuilder.__file__).resolve().parent
KEYWORDS = ["-k", "lazy_gettext", "-k", "_l", "-k", "lazy_formatter_gettext:1"]
LOCALES = {"zh": "zh", "ja": "ja_JP", "en": None}  # ours -> FAB's catalog to pre-fill from


def extract(source: Path, out: Path) -> Catalog:
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "extract", "--no-location",
         "--omit-header", "-F", str(HERE / "babel.cfg"), *KEYWORDS, "-o", str(out), str(source)],
        check=True,
        capture_output=True,
    )
    with out.open("rb") as fh:
        return read_po(fh)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        template = extract(FAB, Path(tmp) / "fab.pot")
        for message in extract(ROOT / "app", Path(tmp) / "app.pot"):
            if message.id and message.id not in template:
                template[message.id] = message
    for ours, fabs in LOCALES.items():
        path = HERE / ours / "LC_MESSAGES" / "messages.po"
        path.parent.mkdir(parents=True, exist_ok=True)
        old = read_po(path.open("rb"), locale=ours) if path.exists() else Catalog(locale=ours)
        fab = None
        if fabs:
            fab_po = FAB / "translations" / fabs / "LC_MESSAGES" / "messages.po"
            fab = read_po(fab_po.open("rb"), locale=ours)
        new = Catalog(locale=ours, project="puwan-platform", version="0.1", charset="utf-8",
                      fuzzy=False)
        for message in template:
            if not message.id:
                continue
            previous = old.get(message.id)
            string = previous.string if previous is not None else ""
            if not string and fab is not None:
                hit = fab.get(message.id)
                if hit is not None and hit.string and not hit.fuzzy:
                    string = hit.string
            if not string and ours == "en":
                string = message.id
            new.add(message.id, string)
        with path.open("wb") as fh:
            write_po(fh, new, width=0, omit_header=False, no_location=True, sort_output=True)
        empty = [m.id for m in new if m.id and not m.string]
        print(f"{ours}: {len(new)} entries, {len(empty)} untranslated")


if __name__ == "__main__":
    main()
