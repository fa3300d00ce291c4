from django.urls import path

from . import views

app_name = "indicators"

urlpatterns = [
    path("", views.index, name="list"),
    path("<int:pk>/", views.detail, name="detail"),
    # The same page is meant to live at /panels/<slug>/performance/ (scrutiny/urls.py, name
    # "panel-performance"); views.performance_url prefers that address when it is routed.
    path("panels/<slug:slug>/performance/", views.performance, name="performance"),
]
