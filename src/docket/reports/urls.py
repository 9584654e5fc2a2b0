"""URLs of the reports area (mounted at /reports/)."""

from django.urls import URLPattern, URLResolver, path

from . import views

app_name = "reports"

urlpatterns: list[URLPattern | URLResolver] = [
    path("compliance", views.overview, name="overview"),
    path("cases/<str:public_id>/compliance", views.case_compliance, name="case_compliance"),
    path(
        "cases/<str:public_id>/compliance.pdf",
        views.case_compliance_pdf,
        name="case_compliance_pdf",
    ),
    path("transparency", views.transparency, name="transparency"),
    path("transparency.pdf", views.transparency_pdf_view, name="transparency_pdf"),
    path("transparency.csv", views.transparency_csv, name="transparency_csv"),
]
