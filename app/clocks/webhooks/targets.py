"""Where a hook may post: ``http``/``https`` URLs whose host is on ``HOOK_ALLOWED_HOSTS``.

An entry is ``host`` (then only the scheme's default port, 80 or 443) or ``host:port``
(``[::1]:8080`` for IPv6); hosts compare exactly, without case. The check runs when a hook is
saved (a translated form error) and again before every attempt, where the host is resolved once
and the connection goes to the address checked here.
"""
from __future__ import annotations

import ipaddress
import re
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from flask import current_app, has_app_context
from flask_babel import lazy_gettext as _

DEFAULT_PORTS = {"http": 80, "https": 443}
_HOST = re.compile(r"[a-z0-9.\-:]+")


class TargetRefused(Exception):
    """The URL may not be posted to; ``code`` says why (the log keeps it), ``message`` for
    people."""

    def __init__(self, code: str, message):
        self.code = code
        self.message = message
        super().__init__(str(message))


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str
    port: int
    path: str  # with the query

    @property
    def host_port(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{host}:{self.port}"


def _configured() -> list[str]:
    raw = current_app.config.get("HOOK_ALLOWED_HOSTS") if has_app_context() else None
    if isinstance(raw, str):
        raw = raw.split(",")
    return [entry.strip().lower() for entry in raw or () if entry and entry.strip()]


def allowed_hosts() -> set[tuple[str, int | None]]:
    """The allow-list as (host, port or None for "the scheme's default port")."""
    entries = set()
    for entry in _configured():
        parts = urlsplit("//" + entry)
        try:
            port = parts.port
        except ValueError:
            continue
        if parts.hostname and not parts.username and parts.path == "":
            entries.add((parts.hostname, port))
    return entries


def shown_allowed_hosts() -> str:
    return ", ".join(sorted(_configured()))


def parse(url: str) -> Target:
    url = (url or "").strip()
    if not url or any(ord(c) <= 32 or ord(c) == 127 for c in url):
        raise TargetRefused("url", _("This is not a valid address."))
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS:
        raise TargetRefused("url", _("Use an address starting with http:// or https://."))
    if "@" in parts.netloc:
        raise TargetRefused("url", _("The address must not contain a user name or password."))
    host = parts.hostname or ""
    try:
        port = parts.port or DEFAULT_PORTS[scheme]
    except ValueError:
        port = None
    if not host or port is None or not _HOST.fullmatch(host):
        raise TargetRefused("url", _("This is not a valid address."))
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return Target(scheme, host, port, path)


def check(url: str) -> Target:
    """The target of ``url`` if the allow-list lets hooks post there; else TargetRefused."""
    target = parse(url)
    entries = allowed_hosts()
    if not entries:
        raise TargetRefused("not_allowed", no_hosts_message())
    default = DEFAULT_PORTS[target.scheme]
    if (target.host, target.port) in entries or (
            target.port == default and (target.host, None) in entries):
        return target
    raise TargetRefused("not_allowed", _(
        "%(host)s is not on the allow-list of hook targets (allowed: %(allowed)s).",
        host=target.host_port, allowed=shown_allowed_hosts()))


def no_hosts_message():
    return _("No host may receive hooks: the system administrator has not configured the "
             "allow-list of hook targets (HOOK_ALLOWED_HOSTS).")


def _refused_address(ip) -> bool:
    ip = getattr(ip, "ipv4_mapped", None) or ip
    return ip.is_link_local or ip.is_multicast or ip.is_unspecified


def resolve(target: Target) -> str:
    """The address to connect to: the host's addresses are looked up once, and none may be
    link-local (e.g. a cloud's metadata service), multicast or unspecified. A failed lookup is
    an OSError (retried like any connection error)."""
    infos = socket.getaddrinfo(target.host, target.port, type=socket.SOCK_STREAM)
    addresses = [info[4][0] for info in infos]
    for address in addresses:
        if _refused_address(ipaddress.ip_address(address.split("%")[0])):
            raise TargetRefused("address", _("The target's address %(address)s may not "
                                             "receive hooks.", address=address))
    return addresses[0]
