"""A scheduled item's warnings and breaches reach the project's service secretary too (C1).

The clock belongs to the approving department, whose notice the clocks' outbox writes; this
listener, run once per transition after its commit (app.sla.hooks), adds the same notice for
the secretary's department when that is another one."""
from __future__ import annotations

from app.clocks.models import Notice
from app.core.models import PuwanUser
from app.core.timeutil import utcnow
from app.extensions import db
from app.registers.projects.models import Project
from app.registers.schedules.models import ScheduleItem
from app.sla import hooks

SUBJECT = ScheduleItem.__tablename__


def tell_secretary(sender, clock=None, new=None, subject=None, **_kwargs) -> None:
    if sender != SUBJECT or clock is None:
        return
    department_id = (db.session.query(PuwanUser.department_id)
                     .join(Project, Project.secretary_id == PuwanUser.id)
                     .join(ScheduleItem, ScheduleItem.project_id == Project.id)
                     .filter(ScheduleItem.id == clock.subject_id).scalar())
    if department_id is None or department_id == clock.department_id:
        return
    db.session.add(Notice(department_id=department_id, kind=str(new), clock_name=clock.name,
                          subject_type=SUBJECT, subject_id=clock.subject_id,
                          created_at=utcnow()))
    db.session.commit()


for _state in ("warning", "breached"):
    hooks.by_state[_state].connect(tell_secretary, weak=False)
