from django.urls import path

from . import views

app_name = "indicators"

urlpatterns = [
    path("", views.index, name="list"),
    path("<int:pk>/", views.detail, name="detail"),
]
