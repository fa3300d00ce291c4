"""The page layout (templates/base.html) and the sign-in page, in a real browser."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.template.loader import render_to_string
from playwright.sync_api import expect

LOGIN = "/accounts/login/"


@pytest.fixture
def page_problems(page):
    """Console errors and failed requests (e.g. a missing static file) seen by the page."""
    problems: list[str] = []
    page.on(
        "console",
        lambda msg: (
            problems.append(f"console {msg.type}: {msg.text}") if msg.type == "error" else None
        ),
    )
    page.on("pageerror", lambda exc: problems.append(f"page error: {exc}"))
    page.on(
        "response",
        lambda r: problems.append(f"HTTP {r.status} {r.url}") if r.status >= 400 else None,
    )
    return problems


@pytest.mark.django_db(transaction=True)
def test_login_page_layout(page, live_server, page_problems, assert_accessible):
    page.goto(live_server.url + LOGIN)

    expect(page).to_have_title("Sign in – Scrutiny")
    expect(page.locator("html")).to_have_attribute("lang", "en-GB")
    # The generic header names the product (no crown, no GOV.UK logotype).
    header = page.get_by_role("banner")
    expect(header.locator(".govuk-generic-header__homepage-link")).to_have_text("Scrutiny")
    expect(header.locator(".govuk-generic-header__homepage-link")).to_have_attribute("href", "/")
    expect(
        page.locator(".govuk-header__logotype, .govuk-logo, .govuk-footer__crown")
    ).to_have_count(0)
    # Landmarks: banner, the service navigation, main, contentinfo.
    nav = page.get_by_role("navigation", name="Menu")
    expect(nav).to_be_visible()
    for label in ("Dashboard", "Indicators", "Meetings", "Recommendations"):
        expect(nav.get_by_role("link", name=label)).to_be_visible()
    expect(nav.locator("[aria-current]")).to_have_count(0)  # the login page is in no section
    expect(page.get_by_role("main")).to_have_attribute("id", "main-content")
    expect(page.get_by_role("contentinfo")).to_contain_text("Scrutiny — council scrutiny")
    expect(page.get_by_role("link", name="Sign in")).to_be_visible()
    # The stylesheet and the ES module loaded: GOV.UK Frontend initialised.
    expect(page.locator("body")).to_have_class(re.compile(r"\bgovuk-frontend-supported\b"))
    font = page.locator("h1").evaluate("el => getComputedStyle(el).fontFamily")
    assert font.startswith("system-ui"), font  # the system font stack, not GDS Transport

    # The skip link is the first thing Tab reaches, and it moves focus to the main content.
    skip_link = page.locator("a.govuk-skip-link")
    expect(skip_link).to_have_attribute("href", "#main-content")
    page.keyboard.press("Tab")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_visible()
    page.keyboard.press("Enter")
    expect(page.locator("#main-content")).to_be_focused()

    assert_accessible(page)
    assert page_problems == []


@pytest.mark.django_db(transaction=True)
def test_sign_in_failure_shows_error_summary(page, live_server, page_problems, assert_accessible):
    page.goto(live_server.url + LOGIN + "?next=/meetings/")
    page.get_by_label("Username").fill("nobody")
    page.get_by_label("Password", exact=True).fill("wrong password")
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()

    expect(page).to_have_title("Error: Sign in – Scrutiny")
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(summary).to_be_focused()  # GOV.UK Frontend's ErrorSummary moves focus to it
    expect(summary.get_by_role("link")).to_contain_text("correct username and password")
    username = page.get_by_label("Username")
    expect(username).to_have_value("nobody")
    expect(username).to_have_class(re.compile(r"\bgovuk-input--error\b"))
    expect(page.locator("input[name=next]")).to_have_value("/meetings/")
    # The summary's link moves focus to the field.
    summary.get_by_role("link").click()
    expect(username).to_be_focused()

    assert_accessible(page)
    assert [p for p in page_problems if "/accounts/login/" not in p] == []


@pytest.mark.django_db(transaction=True)
def test_empty_form_lists_each_missing_field(page, live_server):
    page.goto(live_server.url + LOGIN)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()
    links = page.locator(".govuk-error-summary__list a")
    expect(links).to_have_text(["Enter your username", "Enter your password"])
    expect(links.nth(1)).to_have_attribute("href", "#id_password")


@pytest.mark.django_db(transaction=True)
def test_signed_in_header_and_sign_out(page, live_server, login, assert_accessible):
    user = get_user_model().objects.create_user(
        "officer", password="a long test password", first_name="Pat", last_name="Officer"
    )
    user.is_staff = True
    user.save()

    # A missing page renders templates/404.html inside the layout (DEBUG is off in tests).
    login(page, live_server, "officer", "a long test password", next_url="/no-such-page/")
    assert page.url.endswith("/no-such-page/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    expect(page).to_have_title("Page not found – Scrutiny")
    account = page.locator(".app-account")
    expect(account).to_contain_text("Pat Officer")
    expect(account.get_by_role("link", name="Admin")).to_have_attribute("href", "/admin/")
    expect(account.get_by_role("link", name="Sign in")).to_have_count(0)
    assert_accessible(page)

    with page.expect_navigation():
        account.get_by_role("button", name="Sign out").click()
    page.goto(live_server.url + LOGIN)
    expect(page.locator(".app-account").get_by_role("link", name="Sign in")).to_be_visible()


def test_500_page_needs_no_request_or_database():
    """Django renders 500.html with an empty context; it must not need the DB or a request."""
    html = render_to_string("500.html")  # no django_db mark: any query would raise
    assert "Sorry, there is a problem with the service" in html
    assert "/static/dist/app.css" in html
    assert "<script" not in html


@pytest.mark.django_db(transaction=True)
def test_the_unavailable_page_while_the_database_is_down(page, live_server, assert_accessible):
    from unittest import mock

    from django.db.backends.base.base import BaseDatabaseWrapper
    from django.db.utils import OperationalError

    down = OperationalError("connection to server failed")
    # Every query fails. (Not ensure_connection: the live server checks its open connection
    # before each request, where a real outage raises nothing; bench/faults.py stops the real
    # PostgreSQL.)
    with mock.patch.object(BaseDatabaseWrapper, "cursor", side_effect=down):
        response = page.goto(live_server.url + "/meetings/")
        assert response.status == 503
        expect(page).to_have_title("Sorry, the service is unavailable – Scrutiny")
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Sorry, the service is unavailable"
        )
        # The stylesheet is served without the database.
        assert page.evaluate(
            "[...document.styleSheets].some(s => s.href.includes('app') && s.cssRules.length)"
        )
        assert_accessible(page)
    response = page.goto(live_server.url + "/meetings/")
    assert response.status == 200
