from datetime import date

from django.urls import path, register_converter

from . import views
from .questions import views as question_views

app_name = "recommendations"


class IsoDateConverter:
    """A date in the path written YYYY-MM-DD."""

    regex = r"\d{4}-\d{2}-\d{2}"

    def to_python(self, value: str) -> date:
        return date.fromisoformat(value)

    def to_url(self, value: date | str) -> str:
        return value if isinstance(value, str) else value.isoformat()


register_converter(IsoDateConverter, "trackerdate")

urlpatterns = [
    path("", views.index, name="list"),
    path("archive/", views.archive, name="archive"),
    path("awaiting-response/", views.awaiting_response, name="awaiting"),
    path("new/", views.resolutions, name="resolutions"),
    path("new/<int:resolution_pk>/", views.create_from_resolution, name="create-from-resolution"),
    path("report/<trackerdate:report_date>/", views.report, name="report"),
    path("report/<trackerdate:report_date>/decisions/", views.decisions, name="decisions"),
    path("questions/", question_views.questions, name="questions"),
    path("questions/ask/<int:indicator_id>/", question_views.ask_question, name="ask-question"),
    path("questions/<int:pk>/answer/", question_views.answer_question, name="answer-question"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/updates/", views.add_update, name="add-update"),
]
