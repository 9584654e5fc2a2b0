from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "docket.org"
    label = "org"

    def ready(self) -> None:
        from docket.org.projections import register_projections

        register_projections()
