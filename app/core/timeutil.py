"""Instants are stored as naive UTC; they are shown in the display timezone (Asia/Shanghai)."""
from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context

UTC = dt.UTC


def utcnow() -> dt.datetime:
    """Naive UTC, the storage convention of every DateTime column."""
    return dt.datetime.now(UTC).replace(tzinfo=None)


def display_tz() -> ZoneInfo:
    name = "Asia/Shanghai"
    if has_app_context():
        name = current_app.config.get("DISPLAY_TIMEZONE", name)
    return ZoneInfo(name)


def to_display(value: dt.datetime | None) -> dt.datetime | None:
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(display_tz())


def from_display(value: dt.datetime | None) -> dt.datetime | None:
    """A time typed without a zone is display-zone (Shanghai) time: as naive UTC, for storage."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=display_tz())
    return value.astimezone(UTC).replace(tzinfo=None)


def format_display(value: dt.datetime | None) -> str:
    shown = to_display(value)
    return shown.strftime("%Y-%m-%d %H:%M") if shown else ""


def format_due(value: dt.datetime | None) -> str:
    """A due time; one falling at local midnight is shown as the end of the day before
    ("2026-11-30 24:00"), which is how a "by the end of day N" promise reads."""
    shown = to_display(value)
    if shown is None:
        return ""
    if shown.time() == dt.time(0):
        return (shown - dt.timedelta(days=1)).strftime("%Y-%m-%d") + " 24:00"
    return shown.strftime("%Y-%m-%d %H:%M")
