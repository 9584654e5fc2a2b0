from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "docket.reports"
    label = "reports"
