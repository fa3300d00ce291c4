"""JSON API, included by scrutiny/urls.py as path("api/", include("indicators.api_urls"))."""

from django.urls import path

from . import api

app_name = "api"

urlpatterns = [
    path("indicators/", api.indicator_list, name="indicators"),
    path("indicators/<int:pk>/", api.indicator_detail, name="indicator"),
]
