"""The registers of the plan. Importing a register's package declares it to the registry
(app.core.registry); ``register_all`` has the kit add each one's views and API to FAB."""
from app.core import kit, registry
from app.registers import (  # noqa: F401  (each declares itself)
    enterprises,
    events,
    experts,
    financing,
    institutions,
    projects,
    registrations,
    resolutions,
    reviews,
    schedules,
    subsidies,
    window,
    workorders,
)


def register_all(appbuilder) -> None:
    for register in registry.registers():
        kit.install(appbuilder, register)
    schedules.views.install(appbuilder)  # (a project's schedule: not a register of its own)
