"""What the public pages share (no login: the portal, a registration's or an expert's private
link): the hash a private link's token is kept as, and a page rendered in the platform's frame.
In core so that registers with a public page of their own need not reach up into the intake."""
from __future__ import annotations

import hashlib

from flask import current_app, g, render_template
from flask_login import current_user


def token_hash(token: str) -> str:
    """A private link's token as stored: its SHA-256 (the token itself is shown once)."""
    return hashlib.sha256(token.encode()).hexdigest()


def render_public(template, status=200, **context):
    """A public page in the platform's frame, with its status."""
    appbuilder = current_app.appbuilder
    if not hasattr(g, "user"):
        g.user = current_user
    return render_template(template, appbuilder=appbuilder,
                           base_template=appbuilder.base_template, **context), status
