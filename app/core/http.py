"""Security headers on every response (error pages included) and no caching of private pages."""
from __future__ import annotations

from flask import request
from flask_login import current_user

CSP = (
    "default-src 'self'; "
    "script-src 'self' 'unsafe-inline' 'unsafe-eval'; "  # FAB's templates use inline scripts
    "style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


def security_headers(response):
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CSP)
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    static = request.endpoint == "static" or (request.endpoint or "").startswith("appbuilder.")
    private = (current_user and current_user.is_authenticated) or request.path.startswith("/api/")
    if private and not static:
        headers["Cache-Control"] = "no-store"
        headers["Pragma"] = "no-cache"
    return response


def init_http(app) -> None:
    app.after_request(security_headers)


def _error_messages():
    from flask_babel import gettext as _

    return {
        400: _("The request was not understood."),
        403: _("You do not have permission to do this."),
        404: _("The page or record was not found."),
        405: _("This method is not allowed here."),
        409: _("The record is not in a state that allows this."),
        413: _("The upload is too large."),
        422: _("The data is not valid."),
        429: _("Too many attempts. Please wait a while and try again."),
        500: _("Something went wrong on our side. Nothing was changed."),
    }


def init_error_pages(app) -> None:
    from flask import current_app, g, jsonify, render_template
    from werkzeug.exceptions import HTTPException

    def handle(error):
        code = error.code if isinstance(error, HTTPException) else 500
        message = _error_messages().get(code, getattr(error, "description", ""))
        if request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json":
            return jsonify(message=message), code
        appbuilder = current_app.appbuilder
        # Errors raised before FAB's before_request (CSRF, rate limit) leave g.user unset.
        if not hasattr(g, "user"):
            g.user = current_user
        return render_template(
            "puwan/error.html", code=code, message=message,
            appbuilder=appbuilder, base_template=appbuilder.base_template,
        ), code

    for code in (400, 403, 404, 405, 409, 413, 422, 429, 500):
        app.register_error_handler(code, handle)
