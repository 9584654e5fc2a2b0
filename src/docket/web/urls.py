from django.urls import path

from .views import act, case, dashboard, documents, newcase, oversight, record
from .views.misc import healthz, mfa_needed

app_name = "web"

C = "cases/<str:public_id>/"

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("healthz", healthz, name="healthz"),
    path("security/authenticator-needed/", mfa_needed, name="mfa_needed"),
    path("cases/new/", newcase.new_case, name="new_case"),
    path(C, case.case_detail, name="case"),
    path(C + "votes/", case.deliberation, name="votes"),
    path(C + "act/<str:action>/", act.act, name="act"),
    path(C + "documents/", documents.documents, name="documents"),
    path(C + "documents/<str:item>/download/", documents.download, name="download"),
    path(C + "people/<str:person>/identity/", documents.identity, name="identity"),
    path(C + "record/", record.verify, name="verify"),
    path(C + "receipt/", record.receipt, name="receipt"),
    path(C + "journal/", record.journal, name="journal"),
    path("bodies/", oversight.bodies, name="bodies"),
    path("bodies/<str:public_id>/", oversight.body_cases, name="body"),
]
