"""URLs of the notify area: a person's notices and how they want to receive them."""

from django.urls import URLPattern, URLResolver, path

from . import views

app_name = "notify"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.notice_list, name="list"),
    path("preferences/", views.preferences, name="preferences"),
]
