from django.apps import AppConfig


class DocketConfig(AppConfig):
    """The project package itself: management commands, shared templates, system checks."""

    name = "docket"
    verbose_name = "Docket"

    def ready(self) -> None:
        from docket.ops import checks  # noqa: F401 — registers Docket's system checks
