from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "docket.ledger"
    label = "ledger"

    def ready(self) -> None:
        from docket.ledger.summary import register_summary

        register_summary()
