from flask_babel import lazy_gettext as _

from app.registers.enterprises.views import EnterpriseApi, EnterpriseView


def register(appbuilder) -> None:
    appbuilder.add_view(
        EnterpriseView,
        "Enterprises",
        label=_("Enterprises"),
        icon="fa-building",
        category="Registers",
        category_label=_("Registers"),
        category_icon="fa-folder-open",
    )
    appbuilder.add_api(EnterpriseApi)
