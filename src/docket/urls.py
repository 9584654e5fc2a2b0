"""Every URL of Docket, one include per area. Each area owns its own module."""

from django.urls import include, path

urlpatterns = [
    path("accounts/", include("allauth.urls")),
    path("api/v1/", include("docket.api.urls")),
    path("manage/", include("docket.web.manage.urls")),
    path("reports/", include("docket.reports.urls")),
    path("notices/", include("docket.notify.urls")),
    path("", include("docket.ledger.urls")),
    path("", include("docket.intake.urls")),
    path("", include("docket.web.urls")),
]
