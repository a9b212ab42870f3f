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
PROFILES = (DEPARTMENT_RECORDS, REFERENCE_DATA)

# What a role given a profile at a level may do on each register of the profile: these
# permissions of the register's view, API, chart page and calendar (where the class has them:
# work orders have no delete) and its menu items. Writing includes reading.
READ, WRITE = "read", "write"
LEVELS = (READ, WRITE)
_READ = {"view": ("can_list", "can_show", "can_export"), "api": ("can_get", "can_info"),
         "charts": ("can_charts",), "calendar": ("can_calendar",)}
GRANTS = {
    READ: _READ,
    WRITE: {**_READ,
            # (a lifecycle's transitions are writes: granted where the register has them)
            "view": (*_READ["view"], "can_add", "can_edit", "can_delete", "muldelete",
                     "can_import", "can_transition"),
            "api": (*_READ["api"], "can_post", "can_put", "can_delete", "can_transition")},
}
MENU_ACCESS = "menu_access"


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
    # a month calendar page of the records (app.core.calendars.Calendar), "<name> calendar"
    calendar: Any = None
    # the columns a chart rollup keeps per row so that isolation applies to it (its
    # ``visible_clause`` reads them)
    rollup_columns: tuple[str, ...] = ("department_id",)
    # import: the natural key a row is matched on (re-importing an export changes nothing)
    import_key: tuple[str, ...] = ()
    # the records an import's key may name (model -> criterion; e.g. not a cancelled one, when
    # a new one may take its key): None, every record
    import_matches: Callable | None = None
    # the register's write commands, if not RecordCommands(model): f() -> RecordCommands
    # (imports write through them, e.g. so that each imported work order gets its ticket)
    commands: Callable | None = None
    # the values of a valid record for the contract tests: ``sample(make)`` -> {attribute: value}
    sample: Callable | None = None
    # what the history calls the register's own actions ({code: label})
    actions: dict = field(default_factory=dict)
    # its reference data in seed files, loaded with the platform's (app.core.seeds.Seed)
    seeds: list = field(default_factory=list)
    # SLA clocks measuring this register's records: {name: label}; states pausing them
    clocks: dict = field(default_factory=dict)
    pause_states: dict = field(default_factory=dict)
    # what its own routes need beyond the profile's, by level: {"write": ("can_transition",)}
    # (on its view and API, where they have it)
    permissions: dict = field(default_factory=dict)
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
    # record parts (app.core.parts): a Timeline, Attachments, a Lifecycle — the record page,
    # routes and commands that come with them
    timeline: Any = None
    attachments: Any = None
    lifecycle: Any = None
    # how a record's kind is found when it is not its own ``kind`` column (a registration's is
    # its event's): f(record) -> code. Columns declaring ``info["kinds"]`` belong to those kinds
    # (app.core.fields).
    kind_of: Callable | None = None

    # the classes the kit made or wired (app.core.kit.install)
    view_class: type | None = field(default=None, init=False)
    api_class: type | None = field(default=None, init=False)
    charts_class: type | None = field(default=None, init=False)
    calendar_class: type | None = field(default=None, init=False)

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
    def calendar_view_name(self) -> str:
        return f"{self.key}CalendarView"

    @property
    def calendar_name(self) -> str:
        return f"{self.name} calendar"

    def menus(self) -> list[str]:
        """The menu items the kit adds for the register (permission keys), categories too."""
        menus = [self.category, self.name]
        if self.calendar_class is not None:
            menus.append(self.calendar_name)
        if self.charts_class is not None:
            menus += ["Dashboards", self.charts_name]
        return menus

    def grants(self, level: str) -> set[tuple[str, str]]:
        """(view menu, permission) of what ``level`` (read, write) allows on this register,
        once the kit has installed it; levels below ``level`` included."""
        out = {(menu, MENU_ACCESS) for menu in self.menus()}
        own = tuple(permission for below in LEVELS[:LEVELS.index(level) + 1]
                    for permission in self.permissions.get(below, ()))
        for part, cls in (("view", self.view_class), ("api", self.api_class),
                          ("charts", self.charts_class), ("calendar", self.calendar_class)):
            if cls is not None:
                names = GRANTS[level][part] + (own if part in ("view", "api") else ())
                out |= {(cls.class_permission_name or cls.__name__, name) for name in names}
        return out

    @property
    def kind_column(self) -> str | None:
        """The record's own coded ``kind`` column, unless the register finds kinds elsewhere:
        the column a form chooses the kind by (its kind-specific fields follow it)."""
        if self.kind_of is None and "kind" in fields.choices(self.model):
            return "kind"
        return None

    def kind(self, record) -> str | None:
        """The record's kind (None: the register has no kinds)."""
        if self.kind_of is not None:
            return self.kind_of(record)
        return getattr(record, self.kind_column) if self.kind_column else None

    @property
    def parts(self) -> list:
        return [p for p in (self.timeline, self.attachments, self.lifecycle) if p is not None]

    @property
    def field_labels(self) -> dict:
        # (the parts name what their actions bring that no column keeps, e.g. a reason)
        parts = {k: v for part in self.parts for k, v in part.field_labels.items()}
        return {**parts, **fields.labels(self.model), **self.labels}

    @property
    def field_values(self) -> dict:
        states = {self.lifecycle.column: self.lifecycle.states} if self.lifecycle else {}
        return {**states, **fields.choices(self.model), **self.values}

    @property
    def action_labels(self) -> dict:
        """The register's own actions (its lifecycle's, an attachment …) -> label."""
        parts = {k: v for part in self.parts for k, v in part.action_labels.items()}
        return {**parts, **self.actions}


_REGISTERS: dict[str, Register] = {}


def declare(register: Register) -> Register:
    """Add a register (its package does this when imported); a table is declared once."""
    if register.table in _REGISTERS and _REGISTERS[register.table] is not register:
        raise ValueError(f"register {register.table!r} is declared twice")
    _REGISTERS[register.table] = register
    return register


# Clock subjects that are no register (a project's scheduled approval item): table -> (label,
# {clock name: label}), so that notices and clock lists name them as people read them.
_SUBJECTS: dict[str, tuple] = {}


def declare_clock_subject(table: str, label, clocks: dict) -> None:
    """Name the clocks of a table that is not a register (and the table itself)."""
    _SUBJECTS[table] = (label, dict(clocks))


def registers() -> list[Register]:
    return list(_REGISTERS.values())


def get(table: str) -> Register | None:
    return _REGISTERS.get(table)


def model_for(table: str) -> type | None:
    register = _REGISTERS.get(table)
    return register.model if register is not None else None


def table_label(table: str) -> str:
    register = _REGISTERS.get(table)
    if register is None and table in _SUBJECTS:
        return str(_SUBJECTS[table][0])
    return str(register.label) if register is not None else table


def field_labels(table: str) -> dict:
    register = _REGISTERS.get(table)
    return register.field_labels if register is not None else {}


def field_values(table: str) -> dict:
    register = _REGISTERS.get(table)
    return register.field_values if register is not None else {}


def action_labels() -> dict:
    return {code: label for register in _REGISTERS.values()
            for code, label in register.action_labels.items()}


def clock_names() -> dict:
    """Every register's clock names -> label (e.g. "dispatch" -> "Dispatch")."""
    names = {name: label for _label, clocks in _SUBJECTS.values()
             for name, label in clocks.items()}
    return names | {name: label for register in _REGISTERS.values()
                    for name, label in register.clocks.items()}


def pause_states() -> dict:
    """The states that can pause a clock, over every register ({code: label})."""
    return {state: label for register in _REGISTERS.values()
            for state, label in register.pause_states.items()}


def profile_grants(profile: str, level: str) -> set[tuple[str, str]]:
    """What a role given ``profile`` at ``level`` may do: on every register of that profile."""
    return {grant for register in _REGISTERS.values() if register.profile == profile
            for grant in register.grants(level)}
