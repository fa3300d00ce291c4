"""Questions from the panel: a member asks about an indicator's month, the owning officer answers;
shown on the indicator page, the questions list and the next meeting's performance item."""

import html
import re
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from core import roles
from indicators.models import Value
from meetings.models import AgendaItem, Meeting
from recommendations.models import Question
from recommendations.questions import services
from tests.factories import (
    AgendaItemFactory,
    IndicatorFactory,
    MeetingFactory,
    PanelFactory,
    PersonFactory,
    PublicationFactory,
    QuestionFactory,
    UserFactory,
    ValueFactory,
)

LONDON = ZoneInfo("Europe/London")
FEB = date(2022, 2, 1)
MAR = date(2022, 3, 1)


def at(day: date, hour: int = 12) -> datetime:
    return datetime.combine(day, time(hour, 0), tzinfo=LONDON)


def text_of(response) -> str:
    body = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"\s+", " ", html.unescape(body))


@pytest.fixture
def scene(db):
    """A panel with one indicator owned by an officer, February published, March provisional;
    a member, the owner, another officer, a performance manager."""
    panel = PanelFactory(name="Children and Families Scrutiny Panel", slug="cf")
    owner_user = UserFactory(username="owner", groups=[roles.OFFICER])
    owner = PersonFactory(kind="officer", name="Jo Feeney", user=owner_user)
    indicator = IndicatorFactory(
        panel=panel, name="Percentage of CLA placed with IFAs at end of period", owner=owner
    )
    ValueFactory(
        indicator=indicator, month=FEB, state=Value.State.PUBLISHED, published_at=timezone.now()
    )
    ValueFactory(indicator=indicator, month=MAR)
    PublicationFactory(panel=panel, month=FEB, published_at=timezone.now())
    member_user = UserFactory(username="member", groups=[roles.PANEL_MEMBER])
    PersonFactory(name="Guthrie", user=member_user)

    class Scene:
        pass

    s = Scene()
    s.panel, s.indicator, s.owner = panel, indicator, owner_user
    s.member = member_user
    s.other_officer = UserFactory(username="other", groups=[roles.OFFICER])
    s.performance = UserFactory(username="perf", groups=[roles.PERFORMANCE_MANAGER])
    s.admin = UserFactory(username="root", is_superuser=True, is_staff=True)
    return s


def ask(scene, text="Why did IFA placements rise?", month=FEB, user=None) -> Question:
    return services.ask_question(
        user=user or scene.member, indicator=scene.indicator, month=month, text=text
    )


# --- Services: who may ask and answer ---------------------------------------------------------


def test_a_panel_member_asks_a_question_on_a_published_month(scene):
    question = ask(scene)
    assert question.is_open
    assert question.asked_by == scene.member
    assert question.history.count() == 1
    assert list(Question.objects.open()) == [question]


def test_a_superuser_may_ask(scene):
    assert ask(scene, user=scene.admin).asked_by == scene.admin


@pytest.mark.parametrize("who", ["owner", "other_officer", "performance"])
def test_officers_may_not_ask(scene, who):
    with pytest.raises(PermissionDenied, match=services.ERROR_MAY_NOT_ASK):
        ask(scene, user=getattr(scene, who))
    assert not Question.objects.exists()


def test_anonymous_may_not_ask(scene):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied, match=services.ERROR_MAY_NOT_ASK):
        ask(scene, user=AnonymousUser())


def test_an_unpublished_month_is_refused(scene):
    with pytest.raises(ValidationError) as caught:
        ask(scene, month=MAR)
    assert caught.value.message_dict == {"month": [services.ERROR_MONTH_NOT_PUBLISHED]}


def test_a_blank_question_is_refused(scene):
    with pytest.raises(ValidationError) as caught:
        ask(scene, text="   ")
    assert caught.value.message_dict == {"text": [services.ERROR_QUESTION_BLANK]}


@pytest.mark.parametrize("who", ["owner", "performance", "admin"])
def test_the_owner_or_a_performance_manager_answers(scene, who):
    question = ask(scene)
    user = getattr(scene, who)
    services.answer_question(user=user, question=question, answer="More foster carers left.")
    question.refresh_from_db()
    assert not question.is_open
    assert question.answered_by == user
    assert question.answer == "More foster carers left."
    assert question.history.count() == 2


@pytest.mark.parametrize("who", ["other_officer", "member"])
def test_others_may_not_answer(scene, who):
    question = ask(scene)
    with pytest.raises(PermissionDenied, match=re.escape(services.ERROR_MAY_NOT_ANSWER)):
        services.answer_question(user=getattr(scene, who), question=question, answer="No.")
    question.refresh_from_db()
    assert question.is_open


def test_a_blank_answer_is_refused(scene):
    question = ask(scene)
    with pytest.raises(ValidationError) as caught:
        services.answer_question(user=scene.owner, question=question, answer=" ")
    assert caught.value.message_dict == {"answer": [services.ERROR_ANSWER_BLANK]}


# --- Constraints ------------------------------------------------------------------------------


def test_an_answer_needs_its_date_and_a_date_its_answer(scene):
    question = ask(scene)
    with pytest.raises(IntegrityError), transaction.atomic():
        Question.objects.filter(pk=question.pk).update(answer="Yes")
    with pytest.raises(IntegrityError), transaction.atomic():
        Question.objects.filter(pk=question.pk).update(answered_at=timezone.now())
    Question.objects.filter(pk=question.pk).update(answer="Yes", answered_at=timezone.now())


def test_the_month_is_a_first_day(scene):
    with pytest.raises(IntegrityError), transaction.atomic():
        QuestionFactory(
            indicator=scene.indicator, month=date(2022, 2, 2), text="?", asked_by=scene.member
        )


# --- Pages ------------------------------------------------------------------------------------


def test_a_member_asks_through_the_form_and_sees_it_on_the_indicator_page(client, scene):
    client.force_login(scene.member)
    url = reverse("recommendations:ask-question", args=[scene.indicator.pk])
    response = client.post(url, {"month": "2022-02-01", "text": "Why the rise?"}, follow=True)
    assert response.redirect_chain[-1][0].endswith(
        scene.indicator.get_absolute_url() + "#questions"
    )
    text = text_of(response)
    assert "Your question is raised." in text
    assert "February 2022 Open Why the rise? Asked by Councillor Guthrie" in text
    assert "Awaiting an answer from Jo Feeney." in text


def test_the_ask_form_refuses_a_blank_question_naming_the_field(client, scene):
    client.force_login(scene.member)
    url = reverse("recommendations:ask-question", args=[scene.indicator.pk])
    response = client.post(url, {"month": "2022-02-01", "text": ""})
    assert response.status_code == 400
    assert "There is a problem" in text_of(response)
    assert '<a href="#id_text">Enter your question.</a>' in response.content.decode()
    assert not Question.objects.exists()


def test_the_ask_form_offers_only_published_months(client, scene):
    client.force_login(scene.member)
    url = reverse("recommendations:ask-question", args=[scene.indicator.pk])
    page = client.get(url).content.decode()
    assert '<option value="2022-02-01">February 2022</option>' in page
    assert "2022-03-01" not in page
    response = client.post(url, {"month": "2022-03-01", "text": "Why?"})
    assert response.status_code == 400
    assert not Question.objects.exists()


@pytest.mark.parametrize("who", ["owner", "performance"])
def test_officers_are_refused_the_ask_form(client, scene, who):
    client.force_login(getattr(scene, who))
    url = reverse("recommendations:ask-question", args=[scene.indicator.pk])
    assert client.post(url, {"month": "2022-02-01", "text": "Why?"}).status_code == 403
    assert not Question.objects.exists()


def test_anonymous_is_sent_to_sign_in(client, scene):
    url = reverse("recommendations:ask-question", args=[scene.indicator.pk])
    response = client.post(url, {"month": "2022-02-01", "text": "Why?"})
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert client.get(reverse("recommendations:questions")).status_code == 302
    question = ask(scene)
    answer = reverse("recommendations:answer-question", args=[question.pk])
    assert client.get(answer).status_code == 302


def test_the_owner_answers_and_the_public_sees_the_answer(client, scene):
    question = ask(scene, text="Why the rise?")
    client.force_login(scene.owner)
    url = reverse("recommendations:answer-question", args=[question.pk])
    page = text_of(client.get(url))
    assert "Answer a question" in page
    assert "Why the rise?" in page
    response = client.post(url, {"answer": "Three carers retired."})
    assert response.status_code == 302
    assert response.url == scene.indicator.get_absolute_url() + f"#question-{question.pk}"
    client.logout()
    text = text_of(client.get(scene.indicator.get_absolute_url()))
    assert "February 2022 Answered Why the rise?" in text
    assert "Three carers retired. Answered by Jo Feeney on" in text
    assert "Awaiting an answer" not in text


@pytest.mark.parametrize(
    ("who", "status"), [("other_officer", 403), ("member", 403), ("performance", 200)]
)
def test_who_gets_the_answer_form(client, scene, who, status):
    question = ask(scene)
    client.force_login(getattr(scene, who))
    url = reverse("recommendations:answer-question", args=[question.pk])
    assert client.get(url).status_code == status
    response = client.post(url, {"answer": "An answer."})
    assert response.status_code == (302 if status == 200 else 403)


def test_the_indicator_page_shows_the_ask_form_and_answer_links_only_to_those_allowed(
    client, scene
):
    ask(scene)
    url = scene.indicator.get_absolute_url()
    anonymous = text_of(client.get(url))
    assert "Questions from the panel" in anonymous
    assert "Why did IFA placements rise?" in anonymous
    assert "Raise the question" not in anonymous
    assert "Answer to the question" not in anonymous

    client.force_login(scene.member)
    member = text_of(client.get(url))
    assert "Raise the question" in member
    assert "Answer to the question" not in member

    client.force_login(scene.owner)
    owner = text_of(client.get(url))
    assert "Raise the question" not in owner
    assert "Answer to the question on February 2022" in owner

    client.force_login(scene.other_officer)
    assert "Answer to the question" not in text_of(client.get(url))


def test_an_indicator_with_no_questions_says_so(client, scene):
    text = text_of(client.get(scene.indicator.get_absolute_url()))
    assert "The panel has raised no questions on this indicator." in text


def test_the_questions_list_filters_open_and_answered(client, scene):
    open_q = ask(scene, text="Still waiting?")
    done = ask(scene, text="Already answered?")
    services.answer_question(user=scene.owner, question=done, answer="Yes, it is.")
    client.force_login(scene.member)
    url = reverse("recommendations:questions")
    everything = text_of(client.get(url))
    assert "All questions (2)" in everything
    assert open_q.text in everything and done.text in everything
    opened = text_of(client.get(url, {"state": "open"}))
    assert "Open questions (1)" in opened
    assert open_q.text in opened and done.text not in opened
    answered = text_of(client.get(url, {"state": "answered"}))
    assert "Answered questions (1)" in answered
    assert "Yes, it is." in answered and open_q.text not in answered


def test_the_questions_list_query_count_does_not_grow(client, scene, django_assert_num_queries):
    ask(scene)
    client.force_login(scene.member)
    url = reverse("recommendations:questions")
    # user, count, page of questions (with indicator, owner, askers, answerers); the session is
    # read from the cache
    with django_assert_num_queries(3):
        client.get(url)
    for i in range(30):
        question = ask(scene, text=f"Question {i}")
        if i % 2:
            services.answer_question(user=scene.owner, question=question, answer="Answered.")
    with django_assert_num_queries(3):
        assert text_of(client.get(url)).count("Answered.") == 15


# --- The next meeting's performance item -------------------------------------------------------


@pytest.fixture
def meetings(scene):
    """January and March meetings of the panel, March with a performance item; a cancelled
    meeting in February does not count as the previous one."""
    january = MeetingFactory(panel=scene.panel, start=at(date(2022, 1, 27), 17))
    MeetingFactory(
        panel=scene.panel, start=at(date(2022, 2, 24), 17), status=Meeting.Status.CANCELLED
    )
    march = MeetingFactory(
        panel=scene.panel, start=at(date(2022, 3, 31), 17), agenda_published=date(2022, 3, 23)
    )
    AgendaItemFactory(
        meeting=march, number=6, title="Performance", kind=AgendaItem.Kind.PERFORMANCE
    )
    AgendaItemFactory(meeting=march, number=7, title="Another report")
    return january, march


def asked_on(scene, day: date, text: str, answered: date | None = None) -> Question:
    question = ask(scene, text=text)
    changes = {"asked_at": at(day)}
    if answered:
        changes.update(answer="Answered.", answered_at=at(answered), answered_by=scene.owner)
    Question.objects.filter(pk=question.pk).update(**changes)
    return question


def test_for_meeting_lists_open_questions_and_those_answered_since_the_last_meeting(
    scene, meetings
):
    january, march = meetings
    asked_on(scene, date(2022, 1, 10), "Answered before January", answered=date(2022, 1, 20))
    still_open = asked_on(scene, date(2022, 1, 10), "Open since before January")
    answered_since = asked_on(
        scene, date(2022, 2, 1), "Answered in February", answered=date(2022, 2, 10)
    )
    asked_on(scene, date(2022, 4, 1), "Asked after March")
    other_panel = IndicatorFactory(owner=scene.indicator.owner)
    QuestionFactory(
        indicator=other_panel, month=FEB, text="Other panel", asked_by=scene.member
    )

    assert list(Question.objects.for_meeting(march)) == [still_open, answered_since]
    assert [q.text for q in Question.objects.for_meeting(january)] == [
        "Answered before January",
        "Open since before January",
    ]


def test_the_meeting_page_lists_the_questions_on_its_performance_item(
    client, scene, meetings, django_assert_num_queries
):
    _, march = meetings
    asked_on(scene, date(2022, 2, 1), "Why the rise in IFA placements?")
    asked_on(scene, date(2022, 2, 2), "What about agency costs?", answered=date(2022, 2, 20))
    url = march.get_absolute_url()
    text = text_of(client.get(url))
    item = text.split("6 Performance", 1)[1].split("7 Another report", 1)[0]
    assert "Questions raised since the last meeting" in item
    assert (
        "Percentage of CLA placed with IFAs at end of period, February 2022 Open "
        "Why the rise in IFA placements? Awaiting an answer from Jo Feeney." in item
    )
    assert "What about agency costs? Answered by Jo Feeney on 20 February 2022: Answered." in item
    assert text.count("Questions raised since the last meeting") == 1

    client.get(url)  # warm any per-process caches
    # the meeting page's own 7 (no minutes here, so no resolutions) and one for the questions
    with django_assert_num_queries(8):
        client.get(url)
    for i in range(10):
        asked_on(scene, date(2022, 2, 3), f"More {i}")
    with django_assert_num_queries(8):
        assert text_of(client.get(url)).count("Awaiting an answer from Jo Feeney") == 11


def test_a_meeting_without_a_performance_item_lists_no_questions(client, scene, meetings):
    january, _ = meetings
    asked_on(scene, date(2022, 1, 10), "Asked before January")
    AgendaItemFactory(meeting=january, number=1, title="Apologies")
    Meeting.objects.filter(pk=january.pk).update(agenda_published=date(2022, 1, 19))
    text = text_of(client.get(january.get_absolute_url()))
    assert "Apologies" in text
    assert "Questions raised since the last meeting" not in text
