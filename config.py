"""Configuration from the environment, with safe defaults.

Nothing secret lives here: SECRET_KEY comes from the environment or is generated once and kept
in ``instance/secret_key`` (which git ignores).
"""
from __future__ import annotations

import os
import secrets
from pathlib import Path

from flask_appbuilder.security.manager import AUTH_DB
from flask_babel import lazy_gettext

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = Path(os.environ.get("INSTANCE_PATH", BASE_DIR / "instance"))


def _secret_key() -> str:
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    INSTANCE_DIR.mkdir(parents=True, exist_ok=True)
    path = INSTANCE_DIR / "secret_key"
    if not path.exists():
        # O_EXCL: two workers starting together never write two different keys.
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as fh:
                fh.write(secrets.token_urlsafe(48))
        except FileExistsError:
            pass
    return path.read_text().strip()


def _bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    return default if value is None else value.strip().lower() in {"1", "true", "yes", "on"}


def normalize_database_url(url: str) -> str:
    # psycopg 3 is the driver we ship; accept the common spellings.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def _database_url() -> str:
    url = os.environ.get("DATABASE_URL")
    if not url:
        INSTANCE_DIR.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{INSTANCE_DIR / 'puwan.db'}"
    return normalize_database_url(url)


class Config:
    SECRET_KEY = _secret_key()
    SQLALCHEMY_DATABASE_URI = _database_url()
    SQLALCHEMY_TRACK_MODIFICATIONS = False
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}

    # Lazy: the navbar brand and <title> follow the page's language.
    APP_NAME = lazy_gettext("Puwan Economic Zone Enterprise Service Platform")
    APP_THEME = ""
    FAB_BASE_TEMPLATE = "puwan/base.html"
    FAB_INDEX_VIEW = "app.core.home.HomeView"
    FAB_SECURITY_MANAGER_CLASS = "app.core.security.PuwanSecurityManager"
    # Alembic alone creates tables; permissions are synced by `flask seed`, not at import time.
    FAB_CREATE_DB = False
    FAB_UPDATE_PERMS = False
    FAB_ADD_SECURITY_API = False
    FAB_API_SWAGGER_UI = True
    FAB_API_MAX_PAGE_SIZE = 100
    FAB_ROLES_MAPPING: dict = {}

    AUTH_TYPE = AUTH_DB
    AUTH_USER_REGISTRATION = False
    AUTH_ROLE_ADMIN = "Admin"
    AUTH_ROLE_PUBLIC = "Public"
    AUTH_RATE_LIMITED = True
    # logins per address (staff behind one NAT share it), and per account from one address
    AUTH_RATE_LIMIT = os.environ.get("AUTH_RATE_LIMIT", "100 per 5 minute")
    AUTH_ACCOUNT_RATE_LIMIT = os.environ.get("AUTH_ACCOUNT_RATE_LIMIT", "10 per 5 minute")
    RATELIMIT_ENABLED = True
    RATELIMIT_STORAGE_URI = os.environ.get("REDIS_URL") or "memory://"
    RATELIMIT_HEADERS_ENABLED = True
    FAB_PASSWORD_COMPLEXITY_ENABLED = True
    # FAB_PASSWORD_COMPLEXITY_VALIDATOR (a callable) is set in create_app.

    BABEL_DEFAULT_LOCALE = "zh"
    BABEL_DEFAULT_TIMEZONE = "UTC"
    TRANSLATIONS_DIR = str(BASE_DIR / "translations")
    BABEL_TRANSLATION_DIRECTORIES = TRANSLATIONS_DIR
    DISPLAY_TIMEZONE = "Asia/Shanghai"
    LANGUAGES = {
        "zh": {"flag": "cn", "name": "中文"},
        "ja": {"flag": "jp", "name": "日本語"},
        "en": {"flag": "gb", "name": "English"},
    }

    WTF_CSRF_ENABLED = True
    WTF_CSRF_TIME_LIMIT = None
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", False)
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE
    # Behind a reverse proxy (see README) trust this many X-Forwarded-* hops.
    PROXY_FIX_HOPS = int(os.environ.get("PROXY_FIX_HOPS", "0"))

    SEEDS_DIR = str(BASE_DIR / "seeds")
    # Intake channels
    PORTAL_RATE_LIMIT = os.environ.get("PORTAL_RATE_LIMIT", "5 per minute;100 per day")
    WECHAT_TOKEN = os.environ.get("WECHAT_TOKEN")  # unset: the WeChat callback is off
    # Seconds a signed WeChat callback's timestamp may be away from now (replays are refused).
    WECHAT_REPLAY_WINDOW = int(os.environ.get("WECHAT_REPLAY_WINDOW", "300"))
    SMTP_HOST = os.environ.get("SMTP_HOST")  # unset: notices stay in the app only
    SMTP_PORT = int(os.environ.get("SMTP_PORT", "25"))
    SMTP_STARTTLS = _bool("SMTP_STARTTLS", False)
    SMTP_USER = os.environ.get("SMTP_USER")
    SMTP_PASSWORD = os.environ.get("SMTP_PASSWORD")
    MAIL_FROM = os.environ.get("MAIL_FROM", "noreply@puwan.local")
    IMAP_HOST = os.environ.get("IMAP_HOST")
    IMAP_PORT = int(os.environ.get("IMAP_PORT", "993"))
    IMAP_SSL = _bool("IMAP_SSL", True)
    IMAP_STARTTLS = _bool("IMAP_STARTTLS", False)
    IMAP_USER = os.environ.get("IMAP_USER")
    IMAP_PASSWORD = os.environ.get("IMAP_PASSWORD")
    IMAP_MAILBOX = os.environ.get("IMAP_MAILBOX", "INBOX")
    OPEN311_API_KEYS = [k.strip() for k in os.environ.get("OPEN311_API_KEYS", "").split(",")]
    OPEN311_PUBLIC_CHANNELS = ("open311",)
    OPEN311_RATE_LIMIT = os.environ.get("OPEN311_RATE_LIMIT", "30 per minute")
    # SLA hooks (Reference data → Hooks): the only hosts a hook may post to, comma-separated
    # ``host`` (the scheme's default port) or ``host:port``; empty: no hook can be saved or sent.
    HOOK_ALLOWED_HOSTS = [h.strip() for h in os.environ.get("HOOK_ALLOWED_HOSTS", "").split(",")
                          if h.strip()]
    HOOK_TIMEOUT = float(os.environ.get("HOOK_TIMEOUT", "5"))  # seconds per attempt
    HOOK_MAX_ATTEMPTS = int(os.environ.get("HOOK_MAX_ATTEMPTS", "8"))  # then "failed"
    UPLOAD_FOLDER = str(INSTANCE_DIR / "uploads")
    # Imports (a register's list page, `flask records import`): the largest upload, most rows.
    IMPORT_MAX_BYTES = int(os.environ.get("IMPORT_MAX_BYTES", str(10 * 1024 * 1024)))
    IMPORT_MAX_ROWS = int(os.environ.get("IMPORT_MAX_ROWS", "100000"))
    MAX_CONTENT_LENGTH = 25 * 1024 * 1024  # uploads are limited to 20 MB per file
