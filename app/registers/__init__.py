"""Every register of the plan; each touches FAB's menu and API setup in its register()."""
from app.registers import enterprises

REGISTERS = [enterprises]


def register_all(appbuilder) -> None:
    for module in REGISTERS:
        module.register(appbuilder)
