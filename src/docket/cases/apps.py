from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "docket.cases"
    label = "cases"

    def ready(self) -> None:
        from docket.cases import retention
        from docket.cases.projection import register_projection

        register_projection()
        retention.register()
