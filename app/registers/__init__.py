"""Every register of the plan; each touches FAB's menu and API setup in its register()."""
from app.registers import enterprises, workorders

REGISTERS = [enterprises, workorders]
# Table name -> translated register name (the change history shows these).
TABLE_LABELS = {module.TABLE: module.LABEL for module in REGISTERS}
# Table name -> {column: translated label}, to show changed fields by their names.
FIELD_LABELS = {module.TABLE: module.FIELD_LABELS for module in REGISTERS}
FIELD_VALUES = {module.TABLE: module.FIELD_VALUES for module in REGISTERS}
# Action code -> translated label, for the registers' own actions (e.g. "dispatch").
ACTION_LABELS = {action: label for module in REGISTERS
                 for action, label in getattr(module, "ACTION_LABELS", {}).items()}
# Table name -> model, for records that SLA clocks measure.
SUBJECT_MODELS = {module.TABLE: module.MODEL for module in REGISTERS}


def register_all(appbuilder) -> None:
    for module in REGISTERS:
        module.register(appbuilder)
