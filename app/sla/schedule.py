"""Backward scheduling of approval items (倒排工期) on the China working-day calendar.

Pure: no web framework, no database, no wall clock; the ``WorkCalendar`` (holidays, 调休
make-up days, administrators' overrides) and the dates are passed in.

Each item takes a number of *working days*, counted inclusively: an item of 3 days starting on
a Monday ends on the Wednesday. The late (ALAP) schedule places every item as late as its
successors allow, so that the last items end by the target date:

    late finish = the last working day on or before the target        (items nobody waits for)
                = min over successors of (their late start − 1 working day)   (the others)
    late start  = late finish − (duration − 1) working days

The early schedule runs forward from a start date (the project's start, or today):

    early start  = the first working day on or after the start         (items needing nothing)
                 = max over predecessors of (their early finish + 1 working day)
    early finish = early start + (duration − 1) working days

An item's slack (total float) is the number of working days between its early and late start;
the critical path is the items whose slack is least — zero when the window from start to
target is exactly as long as the longest chain, negative when the target cannot be met.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from app.sla.calendar import WorkCalendar


@dataclass(frozen=True)
class Task:
    """An item to schedule: its code, its duration in working days (at least one) and the
    codes of the items that must end before it starts."""

    code: str
    duration: int
    depends_on: tuple[str, ...] = ()


@dataclass(frozen=True)
class Slot:
    """Where an item falls: its late (ALAP) and early (ASAP) dates, its slack in working days
    and whether it lies on the critical path."""

    code: str
    late_start: dt.date
    late_finish: dt.date
    early_start: dt.date
    early_finish: dt.date
    slack: int
    critical: bool


@dataclass(frozen=True)
class Plan:
    slots: dict[str, Slot]
    order: tuple[str, ...]  # a topological order (predecessors first)
    unconfirmed_years: tuple[int, ...] = field(default=())

    @property
    def critical_path(self) -> list[str]:
        return [code for code in self.order if self.slots[code].critical]


class ScheduleError(ValueError):
    """A set of items that cannot be scheduled; ``items`` names the culprits."""

    def __init__(self, message: str, items: Iterable[str]):
        self.items = tuple(items)
        super().__init__(f"{message}: {', '.join(self.items)}")


class CycleError(ScheduleError):
    """Items that (directly or through others) wait for themselves."""


def on_or_before(calendar: WorkCalendar, day: dt.date) -> dt.date:
    while not calendar.is_working_day(day):
        day -= dt.timedelta(days=1)
    return day


def on_or_after(calendar: WorkCalendar, day: dt.date) -> dt.date:
    while not calendar.is_working_day(day):
        day += dt.timedelta(days=1)
    return day


def shift(calendar: WorkCalendar, day: dt.date, days: int) -> dt.date:
    """The working day ``days`` working days after (or, negative, before) working day ``day``."""
    step = dt.timedelta(days=1 if days >= 0 else -1)
    for _ in range(abs(days)):
        day += step
        while not calendar.is_working_day(day):
            day += step
    return day


def working_days_between(calendar: WorkCalendar, start: dt.date, end: dt.date) -> int:
    """How many working-day steps lead from working day ``start`` to ``end`` (negative when
    ``end`` comes first)."""
    if end < start:
        return -working_days_between(calendar, end, start)
    count, day = 0, start
    while day < end:
        day += dt.timedelta(days=1)
        count += calendar.is_working_day(day)
    return count


def _check(tasks: Mapping[str, Task]) -> None:
    bad = [t.code for t in tasks.values() if not isinstance(t.duration, int) or t.duration < 1]
    if bad:
        raise ScheduleError("durations must be at least one working day", bad)
    unknown = sorted({d for t in tasks.values() for d in t.depends_on if d not in tasks})
    if unknown:
        raise ScheduleError("unknown items depended on", unknown)


def _cycles(tasks: Mapping[str, Task]) -> list[str]:
    """The items lying on a cycle (Tarjan's strongly connected components, iteratively)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[str] = []
    for root in tasks:
        if root in index:
            continue
        work = [(root, iter(tasks[root].depends_on))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, successors = work[-1]
            for nxt in successors:
                if nxt not in index:
                    index[nxt] = low[nxt] = len(index)
                    stack.append(nxt)
                    on_stack.add(nxt)
                    work.append((nxt, iter(tasks[nxt].depends_on)))
                    break
                if nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1 or node in tasks[node].depends_on:
                        found.extend(component)
    return sorted(found)


def topological_order(tasks: Mapping[str, Task]) -> list[str]:
    """Predecessors first, ties in the order given; refuses cycles naming their items."""
    _check(tasks)
    cyclic = _cycles(tasks)
    if cyclic:
        raise CycleError("the items depend on each other in a cycle", cyclic)
    order: list[str] = []
    done: set[str] = set()
    remaining = list(tasks)
    while remaining:
        rest = []
        for code in remaining:
            if all(d in done for d in tasks[code].depends_on):
                order.append(code)
                done.add(code)
            else:
                rest.append(code)
        remaining = rest
    return order


def schedule(tasks: Iterable[Task], target: dt.date, start: dt.date,
             calendar: WorkCalendar) -> Plan:
    """The late schedule ending by ``target`` and the early one from ``start``, with slack and
    the critical path. Raises ScheduleError (CycleError for cycles) naming the items."""
    by_code: dict[str, Task] = {}
    for task in tasks:
        if task.code in by_code:
            raise ScheduleError("items listed twice", [task.code])
        by_code[task.code] = task
    order = topological_order(by_code)
    successors: dict[str, list[str]] = {code: [] for code in order}
    for code in order:
        for dep in by_code[code].depends_on:
            successors[dep].append(code)

    late_start: dict[str, dt.date] = {}
    late_finish: dict[str, dt.date] = {}
    last_day = on_or_before(calendar, target)
    for code in reversed(order):
        if successors[code]:
            finish = min(shift(calendar, late_start[s], -1) for s in successors[code])
        else:
            finish = last_day
        late_finish[code] = finish
        late_start[code] = shift(calendar, finish, -(by_code[code].duration - 1))

    early_start: dict[str, dt.date] = {}
    early_finish: dict[str, dt.date] = {}
    first_day = on_or_after(calendar, start)
    for code in order:
        deps = by_code[code].depends_on
        begin = max((shift(calendar, early_finish[d], 1) for d in deps), default=first_day)
        early_start[code] = begin
        early_finish[code] = shift(calendar, begin, by_code[code].duration - 1)

    slack = {c: working_days_between(calendar, early_start[c], late_start[c]) for c in order}
    least = min(slack.values(), default=0)
    slots = {
        code: Slot(code, late_start[code], late_finish[code], early_start[code],
                   early_finish[code], slack[code], slack[code] == least)
        for code in order
    }
    span = [*late_start.values(), *early_finish.values(), first_day, last_day]
    unconfirmed = calendar.unconfirmed_years(min(span), max(span)) if span else []
    return Plan(slots, tuple(order), tuple(unconfirmed))
