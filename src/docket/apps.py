from django.apps import AppConfig


class DocketConfig(AppConfig):
    """The project package itself: management commands and shared templates."""

    name = "docket"
    verbose_name = "Docket"
