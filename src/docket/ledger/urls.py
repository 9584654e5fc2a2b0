"""Public ledger pages (see views)."""

from django.urls import path

from . import views

app_name = "ledger"
urlpatterns = [
    path(".well-known/docket-key", views.key, name="key"),
    path(".well-known/docket-checkpoint", views.checkpoint, name="checkpoint"),
]
