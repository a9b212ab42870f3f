"""The Japanese-language window's log of services (measure A4, 双语服务): which enterprise was
served, in what matter and language, by whom, when and for how long, with what result — and the
follow-up, which may become a work order of "123 instant handling" in the same step (the log
keeps the order it opened).

A service belongs to the department of the window that gave it (the author's); the enterprise
may be any the user may read — for the window, every Japanese-funded enterprise of the zone.
"""
from flask_appbuilder import Model
from flask_babel import lazy_gettext as _
from sqlalchemy import Column, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import relationship

from app.core.models import AuditMixin, DepartmentOwnedMixin, PuwanUser
from app.core.timeutil import utcnow
from app.registers.enterprises.models import Enterprise
from app.registers.workorders.models import WorkOrder

# What the window is asked for (the plan's "zero communication barrier" for Japanese-funded
# enterprises: consultation, guidance through the approvals, interpreting, policies, and
# carrying a complaint to the department it concerns).
MATTERS = {
    "consultation": _("Consultation"),
    "approval_guidance": _("Approval guidance"),
    "translation": _("Translation and interpreting"),
    "policy": _("Policy explanation"),
    "complaint": _("Complaint relay"),
    "other": _("Other"),
}
LANGUAGES = {"ja": _("Japanese"), "zh": _("Chinese"), "en": _("English")}
# the work-order service type a matter's follow-up is filed under (seeds/service_types.yaml)
SERVICE_TYPES = {"consultation": "policy", "approval_guidance": "approvals",
                 "translation": "other", "policy": "policy", "complaint": "other",
                 "other": "other"}
DURATION_MAX = 24 * 60


class WindowService(AuditMixin, DepartmentOwnedMixin, Model):
    __tablename__ = "window_service"
    __table_args__ = (Index("ix_window_service_served_at", "served_at", "id"),)

    id = Column(Integer, primary_key=True)
    enterprise_id = Column(Integer, ForeignKey("enterprise.id"), nullable=False, index=True)
    # any enterprise the user can read (the window: every Japanese-funded one)
    enterprise = relationship(Enterprise, info={"label": _("Enterprise"), "scope_check": "read"})
    matter = Column(String(24), nullable=False, index=True,
                    info={"label": _("Matter"), "choices": MATTERS})
    language = Column(String(2), nullable=False, default="ja",
                      info={"label": _("Language used"), "choices": LANGUAGES})
    # who served the enterprise: the author (set by the command)
    handler_id = Column(Integer, ForeignKey("ab_user.id"), index=True)
    handler = relationship(PuwanUser, foreign_keys=[handler_id],
                           info={"label": _("Handled by"), "scope_check": False})
    served_at = Column(DateTime, nullable=False, default=utcnow,
                       info={"label": _("Served at")})
    duration_minutes = Column(Integer, info={"label": _("Duration (minutes)"), "min": 1,
                                             "max": DURATION_MAX})
    result = Column(Text, nullable=False, info={"label": _("Result")})
    follow_up = Column(Text, info={
        "label": _("Follow-up"),
        "description": _("What remains to be done. Tick “Open a work order” to hand it to "
                         "“123 instant handling” in the same step.")})
    # the work order the follow-up became (made by the command, never chosen)
    work_order_id = Column(Integer, ForeignKey("work_order.id", ondelete="SET NULL"),
                           index=True)
    work_order = relationship(WorkOrder, info={"label": _("Work order"), "scope_check": False})

    # the add form's box (not stored): open a work order for the follow-up in the same step
    open_work_order = False

    def __str__(self) -> str:
        return f"{self.enterprise} · {MATTERS.get(self.matter, self.matter)}"
