"""Every column a register's list, record page and forms show has a label in Chinese and
Japanese: not the English label, not the column's code name (unless the word is the same in
every language, e.g. a code)."""
from __future__ import annotations

import pytest
from flask_babel import force_locale

from tests.core.contract.conftest import REGISTERS, by_table, view_of

# Labels that are the same word in every language (none so far).
SAME_EVERYWHERE: set[str] = set()


def _columns(view) -> list[str]:
    from app.core.views import record_columns

    shown = [*view.list_columns, *record_columns(view), *view.edit_columns, *view.add_columns]
    return list(dict.fromkeys(shown))


@pytest.mark.parametrize("lang", ["zh", "ja"])
@pytest.mark.parametrize("register", **by_table(REGISTERS))
def test_every_shown_column_is_labelled_in_the_readers_language(app, register, lang):
    view = view_of(app, register)
    with app.test_request_context("/"):
        with force_locale("en"):
            english = {c: str(view.label_columns.get(c, c)) for c in _columns(view)}
        with force_locale(lang):
            shown = {c: str(view.label_columns.get(c, c)) for c in _columns(view)}
    untranslated = {c: label for c, label in shown.items()
                    if label in (c, english[c]) and label not in SAME_EVERYWHERE}
    assert untranslated == {}
