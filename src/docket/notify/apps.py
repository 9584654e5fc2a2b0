from django.apps import AppConfig


class NotifyConfig(AppConfig):
    name = "docket.notify"
    label = "notify"

    def ready(self) -> None:
        from docket.cases.acting import on_case_event

        from .services import notices_for_event

        on_case_event(notices_for_event)
