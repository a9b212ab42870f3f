"""zh / ja / en: locale selection, per-user memory, catalog compilation, and no translation of "".

FAB picks the language from the session only; we add Accept-Language on a first visit, the
user's remembered choice on login, and Japanese for the Japanese-language window staff.
"""
from __future__ import annotations

from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import current_app, has_request_context, request, session
from flask_babel import Domain
from flask_login import user_logged_in

from app.core.models import current_actor


def compile_catalogs(directory: str) -> None:
    """Compile each messages.po whose .mo is missing or older (the .mo files are not in git)."""
    for po in Path(directory).glob("*/LC_MESSAGES/messages.po"):
        mo = po.with_suffix(".mo")
        if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        with po.open("rb") as fh:
            catalog = read_po(fh, locale=po.parent.parent.name)
        tmp = mo.with_suffix(".mo.tmp")
        with tmp.open("wb") as fh:
            write_mo(fh, catalog, use_fuzzy=False)
        tmp.replace(mo)


class CatalogDomain(Domain):
    """Flask-Babel's domain, except that the empty string translates to itself.

    A catalog keeps its header (``Project-Id-Version: …``) under the empty msgid, so gettext("")
    returned the header — and FAB passes "" whenever a column has no description or label (REST
    ``_info``, forms). Removed once from each loaded catalog, it holds for every caller: FAB, our
    code, templates.
    """

    def get_translations(self):
        translations = super().get_translations()
        getattr(translations, "_catalog", {}).pop("", None)
        return translations


def _languages() -> dict:
    return current_app.config["LANGUAGES"]


def select_locale() -> str:
    languages = _languages()
    default = current_app.config.get("BABEL_DEFAULT_LOCALE", "zh")
    if not has_request_context():  # CLI and start-up messages
        return default
    requested = request.args.get("_l_")
    if requested in languages:
        return requested
    chosen = session.get("locale")
    if chosen in languages:
        return chosen
    chosen = _user_default()
    if chosen is None:
        chosen = request.accept_languages.best_match(list(languages)) or default
    session["locale"] = chosen
    return chosen


def _user_default() -> str | None:
    actor = current_actor()
    if actor is None:
        return None
    if actor.locale in _languages():
        return actor.locale
    from app.core.scope import current_scope

    return "ja" if current_scope().serves_japanese else None


def _remember_choice(response):
    """After /lang/<code>, keep the choice on the user so every later login starts in it."""
    if request.endpoint == "LocaleView.index" and response.status_code < 400:
        session["locale_chosen"] = True
        actor = current_actor()
        if actor is not None:
            _save_locale(actor, session.get("locale"))
    return response


def _save_locale(user, locale) -> None:
    if locale in _languages() and user.locale != locale:
        from app.extensions import db

        user.locale = locale
        db.session.commit()


def _on_login(sender, user, **extra):
    if session.get("locale_chosen") and session.get("locale") in _languages():
        # Chosen on the login page just now: that wins, and is remembered.
        _save_locale(user, session["locale"])
    elif user.locale in _languages():
        session["locale"] = user.locale
    else:
        session.pop("locale", None)


def init_i18n(app) -> None:
    config = app.extensions["babel"]
    config.locale_selector = select_locale
    config.instance.domain_instance = CatalogDomain(domain=config.default_domain)
    app.after_request(_remember_choice)
    user_logged_in.connect(_on_login, app)
