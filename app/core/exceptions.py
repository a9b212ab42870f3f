"""Command errors carry a translated message and map to one HTTP status, in one place."""
from __future__ import annotations

from flask_babel import lazy_gettext as _


class CommandError(Exception):
    status = 422
    default_message = _("The request could not be processed.")

    def __init__(self, message=None, errors: dict | None = None):
        self.message = message or self.default_message
        self.errors = errors or {}
        super().__init__(str(self.message))

    def __str__(self) -> str:
        return str(self.message)

    def as_payload(self) -> dict:
        payload: dict = {"message": str(self.message)}
        if self.errors:
            payload["errors"] = {k: [str(m) for m in v] for k, v in self.errors.items()}
        return payload


class ForbiddenError(CommandError):
    status = 403
    default_message = _("You may not change records of another department.")


class NotFoundError(CommandError):
    status = 404
    default_message = _("Record not found.")


class ValidationFailed(CommandError):
    status = 422
    default_message = _("The data is not valid.")


class TransitionError(CommandError):
    status = 409
    default_message = _("The record is not in a state that allows this.")
