from django.urls import path

from . import views

app_name = "meetings"

urlpatterns = [
    path("", views.meeting_list, name="list"),
    path("calendar.ics", views.calendar, name="calendar"),
    path("<int:pk>/", views.meeting_detail, name="meeting"),
    path("<int:pk>/agenda.pdf", views.agenda_pdf, name="agenda-pdf"),
    path("<int:pk>/minutes.pdf", views.minutes_pdf, name="minutes-pdf"),
    path("papers/<int:pk>/", views.paper, name="paper"),
    path("panels/<slug:slug>/", views.panel_detail, name="panel"),
    path("panels/<slug:slug>/work-programme/", views.work_programme, name="work-programme"),
    path("people/<int:pk>/", views.person_detail, name="person"),
    path("<slug:slug>/calendar.ics", views.panel_calendar, name="panel-calendar"),
]
