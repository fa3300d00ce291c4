"""Site search at /search/. scrutiny/urls.py wires it with
path("search/", include("meetings.search_urls"))."""

from django.urls import path

from . import views

app_name = "search"

urlpatterns = [
    path("", views.search_results, name="results"),
]
