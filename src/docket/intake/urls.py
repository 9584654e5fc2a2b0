"""URLs of the intake area, mounted at the site root."""

from django.urls import URLPattern, URLResolver, path

from . import views

app_name = "intake"

urlpatterns: list[URLPattern | URLResolver] = [
    path("report/", views.report_form, name="report"),
    path("report/received/", views.received, name="received"),
    path("report/follow/", views.follow, name="follow"),
    path("report/follow/report/", views.reporter_report, name="reporter_report"),
    path("report/follow/message/", views.reporter_message, name="reporter_message"),
    path("report/follow/material/", views.reporter_material, name="reporter_material"),
    path("report/follow/formal/", views.reporter_formal, name="reporter_formal"),
    path("report/follow/leave/", views.reporter_leave, name="reporter_leave"),
    path("intake/", views.queue, name="queue"),
    path("intake/notices/", views.notices, name="notices"),
    path("intake/r/<str:report>/", views.officer_report, name="officer_report"),
    path("intake/r/<str:report>/acknowledge/", views.officer_acknowledge, name="acknowledge"),
    path("intake/r/<str:report>/message/", views.officer_message, name="message"),
    path("intake/r/<str:report>/decline/", views.officer_decline, name="decline"),
    path("intake/r/<str:report>/convert/", views.officer_convert, name="convert"),
    path("intake/r/<str:report>/file/<str:item>/", views.officer_material, name="material"),
]
