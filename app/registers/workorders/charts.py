"""The work-order dashboard: volumes, SLA compliance, what is at risk now, satisfaction."""
from flask_babel import lazy_gettext as _
from sqlalchemy import case

from app.clocks.models import SlaClock
from app.core.charts import (
    Chart,
    ChartsView,
    FilterControl,
    department_label,
    month_label,
    month_of,
    reference_label,
)
from app.core.interface import ScopedInterface
from app.registers.workorders.models import CHANNELS, RATINGS, ServiceType, WorkOrder

CLOCKS = ScopedInterface(SlaClock)
KEPT = _("Kept in time (percent)")


def _orders(clock):
    return WorkOrder, (clock.subject_type == "work_order") & (clock.subject_id == WorkOrder.id)


def _met_percent(model):
    return case((model.state == "met", 100.0), else_=0.0)


def _kept(name):
    return lambda m: (m.subject_type == "work_order") & (m.name == name) & m.state.in_(
        ["met", "missed"])


class WorkOrderDashboardView(ChartsView):
    route_base = "/workorders/dashboard"
    datamodel = ScopedInterface(WorkOrder)
    title = _("Work-order dashboard")
    rollup = True
    search_columns = ["channel", "category", "state", "handling_department", "service_type",
                      "received_at"]
    filter_controls = [
        FilterControl("handling_department", _("Handling department")),
        FilterControl("received_at", _("Received from"), "gt"),
        FilterControl("received_at", _("Received until"), "lt"),
        FilterControl("channel", _("Channel"), choices=CHANNELS),
        FilterControl("service_type", _("Service type")),
    ]
    charts = [
        Chart("channel", _("Work orders by channel"), lambda m: m.channel, labels=CHANNELS,
              value_label=_("Work orders")),
        Chart("service_type", _("Work orders by service type"), lambda m: m.service_type_id,
              labels=reference_label(ServiceType), value_label=_("Work orders")),
        Chart("month", _("Work orders by month"), lambda m: month_of(m.received_at),
              kind="line", labels=month_label, value_label=_("Work orders")),
        Chart("dispatch_by_department", _("Dispatched within the hour, by department (percent)"),
              lambda m: m.department_id, _met_percent, "avg", labels=department_label,
              where=_kept("dispatch"), percent=True, source=CLOCKS, join=_orders, value_label=KEPT),
        Chart("dispatch_by_month", _("Dispatched within the hour, by month (percent)"),
              lambda m: month_of(m.started_at), _met_percent, "avg", kind="line", labels=month_label,
              where=_kept("dispatch"), percent=True, source=CLOCKS, join=_orders,
              value_label=KEPT),
        Chart("resolution_by_department", _("Resolved in time, by department (percent)"),
              lambda m: m.department_id, _met_percent, "avg", labels=department_label,
              where=_kept("resolution"), percent=True, source=CLOCKS, join=_orders, value_label=KEPT),
        Chart("resolution_by_month", _("Resolved in time, by month (percent)"),
              lambda m: month_of(m.started_at), _met_percent, "avg", kind="line", labels=month_label,
              where=_kept("resolution"), percent=True, source=CLOCKS, join=_orders, value_label=KEPT),
        Chart("risk_now", _("Overdue or at risk now, by department"), lambda m: m.department_id,
              labels=department_label, source=CLOCKS, join=_orders, value_label=_("Clocks"),
              where=lambda m: (m.subject_type == "work_order") & m.state.in_(
                  ["warning", "breached"])),
        Chart("ratings", _("Good/bad review (好差评) distribution"), lambda m: m.rating,
              kind="pie", labels=RATINGS, value_label=_("Work orders"),
              where=lambda m: m.rating.isnot(None)),
        Chart("attitude", _("Average attitude score by department"),
              lambda m: m.handling_department_id, lambda m: m.rating_attitude, "avg",
              labels=department_label, value_label=_("Attitude"),
              where=lambda m: m.rating_attitude.isnot(None)),
        Chart("quality", _("Average quality score by department"),
              lambda m: m.handling_department_id, lambda m: m.rating_quality, "avg",
              labels=department_label, value_label=_("Quality"),
              where=lambda m: m.rating_quality.isnot(None)),
        Chart("efficiency", _("Average efficiency score by department"),
              lambda m: m.handling_department_id, lambda m: m.rating_efficiency, "avg",
              labels=department_label, value_label=_("Efficiency"),
              where=lambda m: m.rating_efficiency.isnot(None)),
    ]

