"""Checks other packages add to a project's admission, so that the projects package imports
none of them: each is ``check(session, project) -> refusal message or None``."""

ADMISSION_CHECKS: list = []
