"""Open311 GeoReport v2 at /open311/v2/ (JSON and XML).

Mapping: service_code = our service type; agency_responsible = handling department;
expected_datetime = the resolution clock's due time; status = open/closed; status_notes = the
reply. POST needs an API key (OPEN311_API_KEYS). Reads show only requests that came in through
Open311 itself (OPEN311_PUBLIC_CHANNELS): other channels' requests were not submitted to be
published. No contact details are ever returned.
"""
from __future__ import annotations

import datetime as dt
import hmac
from xml.sax.saxutils import escape

from flask import Blueprint, Response, current_app, json, request, url_for
from flask_babel import force_locale, gettext
from sqlalchemy.orm import joinedload

from app.clocks.models import SlaClock
from app.core.timeutil import display_tz
from app.extensions import csrf, db
from app.intake import create_public_order, token_hash
from app.registers.workorders.commands import SUBJECT
from app.registers.workorders.lifecycle import OPEN
from app.registers.workorders.models import ServiceType, WorkOrder

open311 = Blueprint("open311", __name__, url_prefix="/open311/v2")
csrf.exempt(open311)  # an API for other systems; POST is authenticated by its API key

SPEC = "http://wiki.open311.org/GeoReport_v2"
MAX_RANGE = dt.timedelta(days=90)


class Open311Error(Exception):
    def __init__(self, code: int, description: str):
        self.code, self.description = code, description


def _render(fmt: str, root: str, item: str, rows: list[dict], status: int = 200) -> Response:
    if fmt == "json":
        return Response(json.dumps(rows, ensure_ascii=False), status,
                        mimetype="application/json")
    parts = [f'<?xml version="1.0" encoding="utf-8"?><{root}>']
    for row in rows:
        parts.append(f"<{item}>")
        for key, value in row.items():
            if isinstance(value, list):
                value = ",".join(str(v) for v in value)
            if value is None:
                parts.append(f"<{key}/>")
            else:
                text = str(value).lower() if isinstance(value, bool) else str(value)
                parts.append(f"<{key}>{escape(text)}</{key}>")
        parts.append(f"</{item}>")
    parts.append(f"</{root}>")
    return Response("".join(parts), status, mimetype="text/xml")


def _error(fmt: str, error: Open311Error) -> Response:
    rows = [{"code": error.code, "description": error.description}]
    return _render(fmt if fmt in ("json", "xml") else "json", "errors", "error", rows,
                   error.code)


def _fmt(fmt: str) -> str:
    if fmt not in ("json", "xml"):
        raise Open311Error(404, "format must be json or xml")
    return fmt


def _w3(value: dt.datetime | None) -> str | None:
    if value is None:
        return None
    return value.replace(tzinfo=dt.UTC).astimezone(display_tz()).isoformat(timespec="seconds")


def _parse_w3(value: str) -> dt.datetime:
    try:
        moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as exc:
        raise Open311Error(400, f"not a w3 date-time: {value}") from exc
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=display_tz())
    return moment.astimezone(dt.UTC).replace(tzinfo=None)


def _service_row(kind: ServiceType) -> dict:
    return {"service_code": kind.code, "service_name": str(kind), "description": str(kind),
            "metadata": False, "type": "realtime", "keywords": kind.code, "group": "123"}


def _public_channels() -> tuple[str, ...]:
    return tuple(current_app.config.get("OPEN311_PUBLIC_CHANNELS", ("open311",)))


def _request_rows(orders: list[WorkOrder]) -> list[dict]:
    due = dict(db.session.query(SlaClock.subject_id, SlaClock.due_at).filter(
        SlaClock.subject_type == SUBJECT, SlaClock.name == "resolution",
        SlaClock.subject_id.in_([o.id for o in orders]))) if orders else {}
    return [{
        "service_request_id": o.ticket,
        "status": "open" if o.state in OPEN else "closed",
        "status_notes": o.reply,
        "service_name": str(o.service_type),
        "service_code": o.service_type.code,
        "description": o.content,
        "agency_responsible": str(o.handling_department) if o.handling_department else None,
        "service_notice": None,
        "requested_datetime": _w3(o.received_at),
        "updated_datetime": _w3(o.changed_on),
        "expected_datetime": _w3(due.get(o.id)),
        "address": None, "address_id": None, "zipcode": None,
        "lat": None, "long": None, "media_url": None,
    } for o in orders]


def _locale():
    wanted = request.args.get("locale") or request.accept_languages.best_match(["zh", "ja", "en"])
    return force_locale((wanted or "zh")[:2] if (wanted or "zh")[:2] in ("zh", "ja", "en") else "zh")


@open311.errorhandler(Open311Error)
def _handle(error: Open311Error):
    fmt = (request.view_args or {}).get("fmt", "json")
    return _error(fmt, error)


@open311.route("/discovery.<fmt>")
def discovery(fmt):
    fmt = _fmt(fmt)
    row = {
        "changeset": "2026-11-25T00:00:00+08:00",
        "contact": "普湾经济区管委会办公室 0411-85779600",
        "key_service": "API keys are issued by the Management Committee Office.",
        "endpoints": [{
            "specification": SPEC, "url": url_for("open311.services", fmt=fmt, _external=True)
            .rsplit("/", 1)[0], "changeset": "2026-11-25T00:00:00+08:00",
            "type": "production", "formats": ["application/json", "text/xml"]}],
    }
    if fmt == "json":
        return Response(json.dumps(row, ensure_ascii=False), mimetype="application/json")
    endpoint = row["endpoints"][0]
    body = (f'<?xml version="1.0" encoding="utf-8"?><discovery>'
            f"<changeset>{row['changeset']}</changeset><contact>{escape(row['contact'])}</contact>"
            f"<key_service>{escape(row['key_service'])}</key_service><endpoints><endpoint>"
            f"<specification>{SPEC}</specification><url>{escape(endpoint['url'])}</url>"
            f"<changeset>{endpoint['changeset']}</changeset><type>production</type>"
            f"<formats><format>application/json</format><format>text/xml</format></formats>"
            f"</endpoint></endpoints></discovery>")
    return Response(body, mimetype="text/xml")


@open311.route("/services.<fmt>")
def services(fmt):
    fmt = _fmt(fmt)
    with _locale():
        rows = [_service_row(k) for k in db.session.query(ServiceType).order_by(ServiceType.id)]
    return _render(fmt, "services", "service", rows)


@open311.route("/services/<code>.<fmt>")
def service_definition(code, fmt):
    fmt = _fmt(fmt)
    if db.session.query(ServiceType).filter_by(code=code).one_or_none() is None:
        raise Open311Error(404, f"unknown service_code {code}")
    if fmt == "json":
        return Response(json.dumps({"service_code": code, "attributes": []}),
                        mimetype="application/json")
    return Response(f'<?xml version="1.0" encoding="utf-8"?><service_definition>'
                    f"<service_code>{escape(code)}</service_code><attributes/>"
                    f"</service_definition>", mimetype="text/xml")


def _public_orders():
    return (db.session.query(WorkOrder)
            .options(joinedload(WorkOrder.service_type), joinedload(WorkOrder.handling_department))
            .filter(WorkOrder.channel.in_(_public_channels())))


@open311.route("/requests.<fmt>", methods=["GET"])
def list_requests(fmt):
    fmt = _fmt(fmt)
    args = request.args
    query = _public_orders()
    if args.get("service_request_id"):
        query = query.filter(WorkOrder.ticket.in_(args["service_request_id"].split(",")))
    else:
        if args.get("service_code"):
            query = query.join(ServiceType).filter(
                ServiceType.code.in_(args["service_code"].split(",")))
        end = _parse_w3(args["end_date"]) if args.get("end_date") else None
        start = _parse_w3(args["start_date"]) if args.get("start_date") else None
        if start is None and end is None:
            start = dt.datetime.now(dt.UTC).replace(tzinfo=None) - MAX_RANGE
        if start and end and end - start > MAX_RANGE:
            raise Open311Error(400, "the date range may not span more than 90 days")
        if start:
            query = query.filter(WorkOrder.received_at >= start)
        if end:
            query = query.filter(WorkOrder.received_at <= end)
        if args.get("status"):
            wanted = set(args["status"].split(","))
            if not wanted <= {"open", "closed"}:
                raise Open311Error(400, "status must be open or closed")
            if wanted == {"open"}:
                query = query.filter(WorkOrder.state.in_([str(s) for s in OPEN]))
            elif wanted == {"closed"}:
                query = query.filter(WorkOrder.state.notin_([str(s) for s in OPEN]))
    orders = query.order_by(WorkOrder.received_at.desc()).limit(1000).all()
    with _locale():
        return _render(fmt, "service_requests", "request", _request_rows(orders))


@open311.route("/requests/<ticket>.<fmt>", methods=["GET"])
def get_request(ticket, fmt):
    fmt = _fmt(fmt)
    order = _public_orders().filter(WorkOrder.ticket == ticket).one_or_none()
    if order is None:
        raise Open311Error(404, f"unknown service_request_id {ticket}")
    with _locale():
        return _render(fmt, "service_requests", "request", _request_rows([order]))


def _api_key_ok(key: str | None) -> bool:
    keys = [k for k in current_app.config.get("OPEN311_API_KEYS", ()) if k]
    return bool(key) and any(hmac.compare_digest(key, k) for k in keys)


@open311.route("/requests.<fmt>", methods=["POST"])
def post_request(fmt):
    fmt = _fmt(fmt)
    form = request.form if request.form else (request.get_json(silent=True) or {})
    if not _api_key_ok(form.get("api_key")):
        raise Open311Error(403, "a valid api_key is required")
    code = form.get("service_code")
    kind = db.session.query(ServiceType).filter_by(code=code).one_or_none() if code else None
    if kind is None:
        raise Open311Error(400, "service_code is required and must be one of services")
    description = (form.get("description") or "").strip()
    if not description:
        raise Open311Error(400, "description is required")
    if len(description) > 4000:
        raise Open311Error(400, "description may be at most 4000 characters")
    name = " ".join(p for p in (form.get("first_name"), form.get("last_name")) if p)
    language = (form.get("locale") or "zh")[:2]
    order, token = create_public_order(
        channel="open311", subject=description[:60], content=description,
        language=language if language in ("zh", "ja", "en") else "zh", service_type=code,
        contact_name=name[:100] or None, contact_phone=(form.get("phone") or "")[:40] or None,
        contact_email=(form.get("email") or "")[:200] or None)
    with force_locale(order.language):
        notice = gettext("Dispatched within one hour; see expected_datetime for the resolution.")
    rows = [{"service_request_id": order.ticket, "token": token, "service_notice": notice,
             "account_id": None}]
    return _render(fmt, "service_requests", "request", rows, 201)


@open311.route("/tokens/<token>.<fmt>")
def tokens(token, fmt):
    fmt = _fmt(fmt)
    order = db.session.query(WorkOrder).filter_by(tracking_hash=token_hash(token)).one_or_none()
    if order is None:
        raise Open311Error(404, "unknown token")
    return _render(fmt, "service_requests", "request",
                   [{"service_request_id": order.ticket, "token": token}])


def init_open311(app) -> None:
    app.register_blueprint(open311)
    limit = app.config.get("OPEN311_RATE_LIMIT", "30 per minute")
    app.appbuilder.sm.limiter.limit(limit, methods=["POST"])(open311)
