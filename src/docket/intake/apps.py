from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "docket.intake"
    label = "intake"

    def ready(self) -> None:
        from docket.cases.acting import on_case_event
        from docket.intake.projection import register
        from docket.intake.subjects import on_case_event as index_new_case

        register()  # the report rows, rebuilt and compared by `docket ledger rebuild`

        # Index each new case's respondents for the repeat-subject notice.
        on_case_event(index_new_case)
