"""The baseline: stock Flask-AppBuilder views of the same model, configured as a FAB user would.

Same columns, search columns, order, page size and department restriction as the platform's
views; nothing else changed (stock SQLAInterface, stock templates, stock permission checks).
The department restriction is a plain FAB ``BaseFilter`` — the stock way to express
"taken in or handled by my department".
"""
from __future__ import annotations

from flask import g
from flask_appbuilder import ModelRestApi, ModelView
from flask_appbuilder.charts.views import GroupByChartView
from flask_appbuilder.models.group import aggregate_count
from flask_appbuilder.models.sqla.filters import BaseFilter
from flask_appbuilder.models.sqla.interface import SQLAInterface
from sqlalchemy import or_

from app.registers.workorders.models import WorkOrder
from app.registers.workorders.views import LABELS, WorkOrderApi, WorkOrderView


class VisibleToMyDepartment(BaseFilter):
    name = "visible to my department"

    def apply(self, query, value):
        department_id = g.user.department_id
        return query.filter(or_(WorkOrder.department_id == department_id,
                                WorkOrder.handling_department_id == department_id))


BASE_FILTERS = [["id", VisibleToMyDepartment, None]]


class StockWorkOrderView(ModelView):
    route_base = "/stock/workorders"
    datamodel = SQLAInterface(WorkOrder)
    label_columns = LABELS
    list_columns = WorkOrderView.list_columns
    show_columns = WorkOrderView.show_columns
    search_columns = WorkOrderView.search_columns
    base_order = WorkOrderView.base_order
    base_filters = BASE_FILTERS
    page_size = 25


class StockWorkOrderApi(ModelRestApi):
    resource_name = "stockworkorder"
    datamodel = SQLAInterface(WorkOrder)
    list_columns = WorkOrderApi.list_columns
    search_columns = WorkOrderApi.search_columns
    order_columns = WorkOrderApi.order_columns
    base_order = WorkOrderApi.base_order
    base_filters = BASE_FILTERS


class StockChannelChartView(GroupByChartView):
    """One of the dashboard's twelve charts (orders by channel) the stock FAB way."""

    route_base = "/stock/workorders/chart"
    datamodel = SQLAInterface(WorkOrder)
    base_filters = BASE_FILTERS
    chart_title = "Work orders by channel"
    definitions = [{"group": "channel", "series": [(aggregate_count, "id")]}]


VIEWS = (StockWorkOrderView, StockWorkOrderApi, StockChannelChartView)


def register(appbuilder) -> None:
    for view in VIEWS:
        if issubclass(view, ModelRestApi):
            appbuilder.add_api(view)
        else:
            appbuilder.add_view_no_menu(view)


def grant(appbuilder, role_name: str) -> None:
    """Grant the stock views' permissions to ``role_name`` (FAB_UPDATE_PERMS is off on this
    platform, so they are added here explicitly)."""
    sm = appbuilder.sm
    role = sm.find_role(role_name) or sm.add_role(role_name)
    for baseview in appbuilder.baseviews:
        if isinstance(baseview, VIEWS):
            name = baseview.class_permission_name
            for permission in baseview.base_permissions:
                pv = sm.add_permission_view_menu(permission, name)
                sm.add_permission_role(role, pv)
