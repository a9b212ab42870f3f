"""Intake channels: each turns outside input into the same work-order create command."""
from __future__ import annotations

import secrets

from app.core.models import Department
from app.core.parts.attachments import staged
from app.core.public import token_hash  # noqa: F401  (the intake's links too)
from app.core.scope import acting_as_system
from app.extensions import db
from app.registers.workorders.commands import WorkOrderCommands
from app.registers.workorders.models import ServiceType, WorkOrder


def create_public_order(*, channel: str, subject: str, content: str, language: str = "zh",
                        service_type: str = "other", external_ref: str | None = None,
                        attachments: list[tuple[str, str, bytes]] = (),
                        **fields) -> tuple[WorkOrder, str]:
    """Create an order taken in by the Office for a public channel; returns it and a fresh
    private tracking token. With ``external_ref`` it is idempotent: the same message twice
    gives the existing order (and no token)."""
    if external_ref:
        existing = db.session.query(WorkOrder).filter_by(external_ref=external_ref).one_or_none()
        if existing is not None:
            return existing, ""
    office = db.session.query(Department.id).filter_by(code="OFFICE").scalar()
    kind = (db.session.query(ServiceType).filter_by(code=service_type).one_or_none()
            or db.session.query(ServiceType).filter_by(code="other").one())
    token = secrets.token_urlsafe(24)
    order = WorkOrder(channel=channel, subject=subject[:200], content=content, language=language,
                      service_type_id=kind.id, category="general", department_id=office,
                      external_ref=external_ref, tracking_hash=token_hash(token), **fields)
    # (if the order is not saved — one transaction — its files go too)
    with staged() as files:
        for filename, _content_type, data in attachments:  # (its type is read from its bytes)
            files.add(order, filename, data)
        with acting_as_system():
            WorkOrderCommands().create(order)
    return order, token
