"""What other packages add to a project's workflow without the projects package knowing them.

``ADMISSION_CHECKS``: each ``check(session, project)`` returns a refusal message (translated) or
None; moving a project to *admitted* runs them all and is refused (422, nothing changed) with
every message given. The expert reviews append "a chemical project needs a favourable review"
here; projects never import them (the arrow goes reviews → projects).
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

ADMISSION_CHECKS: list[Callable[[Any, Any], Any]] = []


def admission_refusals(session, project) -> list:
    """The messages of the checks refusing ``project``'s admission (empty: it may be admitted)."""
    return [message for check in ADMISSION_CHECKS
            if (message := check(session, project)) is not None]
