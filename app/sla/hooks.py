"""Signals on every clock state transition, sent after the transition is committed.

Receivers get ``sender`` = the subject type (e.g. "workorder") and keyword arguments
``clock`` (the stored clock row), ``subject`` (the record it measures, or None), ``old`` and
``new`` (ClockState values) and ``transition_id``. ``state_changed`` fires for every transition;
the per-state signals (``warning``, ``breached``, ``met``, ``missed`` …) for theirs.
"""
from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

state_changed = _signals.signal("sla.state_changed")
by_state = {
    state: _signals.signal(f"sla.{state}")
    for state in ("running", "warning", "breached", "paused", "met", "missed")
}


def send(subject_type: str, **kwargs) -> None:
    state_changed.send(subject_type, **kwargs)
    by_state[str(kwargs["new"])].send(subject_type, **kwargs)
