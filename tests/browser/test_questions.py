"""A panel member raises a question on an indicator; the owning officer answers it."""

import pytest
from django.conf import settings
from django.urls import reverse
from playwright.sync_api import expect

from indicators.models import Indicator
from recommendations.models import Question

IFA = "Percentage of CLA placed with IFAs at end of period"
QUESTION = "Why did placements with independent fostering agencies rise in February?"
ANSWER = "Three in-house carers retired; recruitment is under way."


@pytest.mark.django_db(transaction=True)
def test_a_member_asks_and_the_owner_answers(
    page, live_server, login, assert_accessible, demo_transactional
):
    indicator = Indicator.objects.get(name=IFA)
    url = live_server.url + indicator.get_absolute_url()

    login(page, live_server, "member", settings.DEMO_PASSWORD)
    page.goto(url)
    expect(page.get_by_role("heading", name="Questions from the panel")).to_be_visible()
    page.get_by_label("Month", exact=True).select_option(label="February 2022")
    page.get_by_label("Your question").fill(QUESTION)
    page.get_by_role("button", name="Raise the question").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Your question is raised.")
    question = page.locator(".app-question").filter(has_text=QUESTION)
    expect(question).to_contain_text("February 2022")
    expect(question).to_contain_text("Open")
    expect(question).to_contain_text("Awaiting an answer from Jo Feeney")
    answer_link = page.get_by_role("link", name="Answer to the question on February 2022")
    expect(answer_link).to_have_count(0)
    assert_accessible(page)

    page.goto(live_server.url + reverse("recommendations:questions") + "?state=open")
    expect(page.get_by_role("table", name="Open questions (1)")).to_contain_text(QUESTION)
    assert_accessible(page)

    page.context.clear_cookies()
    login(page, live_server, "performance", settings.DEMO_PASSWORD)
    page.goto(url)
    answer_link.click()
    expect(page.get_by_role("heading", name="Answer a question")).to_be_visible()
    page.get_by_role("button", name="Save the answer").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the answer.")
    assert_accessible(page)
    page.get_by_label("Answer", exact=True).fill(ANSWER)
    page.get_by_role("button", name="Save the answer").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Your answer is recorded")
    assert Question.objects.get(text=QUESTION).answer == ANSWER

    page.context.clear_cookies()
    page.goto(url)
    question = page.locator(".app-question").filter(has_text=QUESTION)
    expect(question).to_contain_text("Answered")
    expect(question).to_contain_text(ANSWER)
    expect(question).to_contain_text("Answered by Jo Feeney")
    expect(page.get_by_role("button", name="Raise the question")).to_have_count(0)
    assert_accessible(page)
