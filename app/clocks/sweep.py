"""`flask sla sweep`: move clocks whose time has come, in set-based SQL, then deliver.

Each UPDATE claims its rows (… WHERE state = 'running' AND due_at <= now RETURNING id): two
sweeps at once on PostgreSQL cannot both move one clock, because the second waits on the row
lock and re-checks the state. Transitions are inserted in the same transaction, so nothing is
lost across a restart: undelivered ones are delivered by the next sweep. Before moving anything
the sweep sends ``sweep_starting(session, now=…)`` so that registers open the clocks whose time
has come (a project's monthly report); core does not know who listens. Last, the hook
deliveries that are due are posted: the new ones and the retries (app.clocks.webhooks).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from blinker import Namespace
from sqlalchemy import insert, literal, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from app.clocks.models import SlaClock, SlaTransition
from app.clocks.outbox import deliver_pending
from app.clocks.service import naive
from app.clocks.webhooks.delivery import SendReport, send_due

# Sent inside the sweep's transaction, before clocks move: ``sweep_starting.send(session,
# now=…)`` (naive UTC). Listeners open clocks (idempotently, in bounded queries) and never commit.
sweep_starting = Namespace().signal("clocks.sweep_starting")


@dataclass
class SweepReport:
    warning: int = 0
    breached: int = 0
    delivered: int = 0
    hooks: SendReport = field(default_factory=SendReport)

    def __str__(self) -> str:
        return (f"{self.warning} to warning, {self.breached} to breached, "
                f"{self.delivered} transitions delivered; {self.hooks}")


def _move(session: Session, old: str, new: str, column, now: dt.datetime) -> int:
    ids = session.execute(
        update(SlaClock)
        # The state inline (not a bound parameter) so that the planner can pick the partial
        # index of clocks in that state (sla_clock's indexes) rather than scan them all.
        .where(SlaClock.state == literal(old, literal_execute=True), column <= now)
        .values(state=new)
        .returning(SlaClock.id),
        execution_options={"synchronize_session": False},
    ).scalars().all()
    if ids:
        session.execute(insert(SlaTransition), [
            {"clock_id": i, "old_state": old, "new_state": new, "at": now} for i in ids
        ])
    return len(ids)


def sweep(session: Session, now: dt.datetime, attempts: int = 3) -> SweepReport:
    now = naive(now)
    for attempt in range(attempts):
        report = SweepReport()
        try:
            sweep_starting.send(session, now=now)
            report.breached += _move(session, "running", "breached", SlaClock.due_at, now)
            report.breached += _move(session, "warning", "breached", SlaClock.due_at, now)
            report.warning += _move(session, "running", "warning", SlaClock.warn_at, now)
            session.commit()
            break
        except DBAPIError as exc:
            session.rollback()
            # Two sweeps locking rows in different orders: PostgreSQL aborts one; run it again.
            if type(exc.orig).__name__ != "DeadlockDetected" or attempt == attempts - 1:
                raise
        except Exception:
            session.rollback()
            raise
    report.delivered = deliver_pending(session, now, post_hooks=False)
    report.hooks = send_due(session, now)
    return report
