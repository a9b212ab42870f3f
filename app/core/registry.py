"""The registry of registers: table name -> its declaration.

A register declares itself once (``Register``) when its package is imported
(``app.registers``); core, the clocks and the intake channels read what they need here — a
table's model, its translated name, its fields' labels and codes, its actions, its clocks — and
never import a register. ``app.core.kit`` derives the register's FAB views and APIs from the
same declaration.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from app.core import fields

# Role profiles a register belongs to (seeds/roles.yaml grants profiles, not views):
# a department's own records, or reference data everybody reads and administrators keep.
DEPARTMENT_RECORDS = "department records"
REFERENCE_DATA = "reference data"


@dataclass(eq=False)
class Register:
    """One register of the plan, declared once.

    ``name`` is the menu item and the stem of the permission keys: the derived classes are
    ``<key>View``, ``<key>Api`` and ``<key>ChartsView`` (``key`` defaults to the model's class
    name), the names roles are granted on. Labels and choices come from the columns' ``info``
    (app.core.fields); ``labels`` adds those of computed columns (e.g. ``industry_label``).
    """

    model: type
    name: str
    label: Any                       # the register, plural and translated ("Enterprises")
    title: Any                       # one record ("Enterprise")
    route: str                       # "/enterprises"
    icon: str = "fa-folder-open"
    category: str = "Registers"      # the menu it is under (Registers, Reference data)
    profile: str = DEPARTMENT_RECORDS
    key: str | None = None
    resource: str | None = None      # REST resource name (default: the table)
    add_title: Any = None
    edit_title: Any = None
    # columns: the form's (add and edit), the list's, the record page's, search and order
    edit_columns: list[str] = field(default_factory=list)
    add_columns: list[str] | None = None
    list_columns: list[str] | None = None
    show_columns: list[str] | None = None
    search_columns: list[str] | None = None
    order_columns: list[str] | None = None
    base_order: tuple[str, str] | None = None
    export_columns: list[str] | None = None
    api_list_columns: list[str] | None = None
    api_show_columns: list[str] | None = None
    labels: dict = field(default_factory=dict)
    # codes of columns that declare no choices themselves ({column: {code: label}})
    values: dict = field(default_factory=dict)
    link_column: str | None = None
    # charts: a dashboard page derived when there are any
    charts: list = field(default_factory=list)
    chart_filters: list = field(default_factory=list)
    chart_search_columns: list[str] | None = None
    charts_title: Any = None
    charts_label: Any = None
    charts_name: str | None = None   # its menu item (a permission key); "<name> charts"
    # the columns a chart rollup keeps per row so that isolation applies to it (its
    # ``visible_clause`` reads them)
    rollup_columns: tuple[str, ...] = ("department_id",)
    # import: the natural key a row is matched on (re-importing an export changes nothing)
    import_key: tuple[str, ...] = ()
    # the register's write commands, if not RecordCommands(model): f() -> RecordCommands
    # (imports write through them, e.g. so that each imported work order gets its ticket)
    commands: Callable | None = None
    # the values of a valid record for the contract tests: ``sample(make)`` -> {attribute: value}
    sample: Callable | None = None
    # what the history calls the register's own actions ({code: label})
    actions: dict = field(default_factory=dict)
    # SLA clocks measuring this register's records: {name: label}; states pausing them
    clocks: dict = field(default_factory=dict)
    pause_states: dict = field(default_factory=dict)
    # complex registers bring their own classes (the kit still wires them) or bases/attributes
    view: type | None = None
    api: type | None = None
    charts_view: type | None = None
    view_base: type | None = None
    api_base: type | None = None
    view_attrs: dict = field(default_factory=dict)
    api_attrs: dict = field(default_factory=dict)
    # more views of the register (e.g. its reference data, an inbox): f(appbuilder)
    extra: Callable | None = None

    # the classes the kit made or wired (app.core.kit.install)
    view_class: type | None = field(default=None, init=False)
    api_class: type | None = field(default=None, init=False)

    def __post_init__(self):
        self.key = self.key or self.model.__name__
        self.resource = self.resource or self.table
        self.charts_name = self.charts_name or f"{self.name} charts"

    @property
    def table(self) -> str:
        return self.model.__tablename__

    @property
    def view_name(self) -> str:
        return f"{self.key}View"

    @property
    def api_name(self) -> str:
        return f"{self.key}Api"

    @property
    def charts_view_name(self) -> str:
        return f"{self.key}ChartsView"

    @property
    def field_labels(self) -> dict:
        return {**fields.labels(self.model), **self.labels}

    @property
    def field_values(self) -> dict:
        return {**fields.choices(self.model), **self.values}


_REGISTERS: dict[str, Register] = {}


def declare(register: Register) -> Register:
    """Add a register (its package does this when imported); a table is declared once."""
    if register.table in _REGISTERS and _REGISTERS[register.table] is not register:
        raise ValueError(f"register {register.table!r} is declared twice")
    _REGISTERS[register.table] = register
    return register


def registers() -> list[Register]:
    return list(_REGISTERS.values())


def get(table: str) -> Register | None:
    return _REGISTERS.get(table)


def model_for(table: str) -> type | None:
    register = _REGISTERS.get(table)
    return register.model if register is not None else None


def table_label(table: str) -> str:
    register = _REGISTERS.get(table)
    return str(register.label) if register is not None else table


def field_labels(table: str) -> dict:
    register = _REGISTERS.get(table)
    return register.field_labels if register is not None else {}


def field_values(table: str) -> dict:
    register = _REGISTERS.get(table)
    return register.field_values if register is not None else {}


def action_labels() -> dict:
    return {code: label for register in _REGISTERS.values()
            for code, label in register.actions.items()}


def clock_names() -> dict:
    """Every register's clock names -> label (e.g. "dispatch" -> "Dispatch")."""
    return {name: label for register in _REGISTERS.values()
            for name, label in register.clocks.items()}


def pause_states() -> dict:
    """The states that can pause a clock, over every register ({code: label})."""
    return {state: label for register in _REGISTERS.values()
            for state, label in register.pause_states.items()}
