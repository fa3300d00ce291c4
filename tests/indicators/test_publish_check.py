"""Publishing a month goes through a check-your-answers step (issue 12): what becomes public,
how complete the month will be, then the confirmation. `import_dataset --publish` prints the
same completeness summary before it publishes."""

import io
from datetime import date
from decimal import Decimal as D
from unittest import mock

import pytest
from django.core.management import call_command
from django.urls import reverse

from indicators import completeness, selectors, services
from indicators.admin_views import MSG_PUBLISHED
from indicators.models import Indicator, Publication, Value
from indicators.services import imports
from tests.factories import PublicationFactory, TargetFactory

from .entry_fixtures import PASSWORD, add_values, make_dataset
from .workbooks import book_2022

pytestmark = pytest.mark.django_db
MARCH = date(2022, 3, 1)
PANEL = "Children and Families Scrutiny Panel"
REREF = "Percentage of re-referrals within 12 months"
CONTACTS = "Number of contacts"
RATE = "Rates of referrals per 10,000 of Under 18 Population"
CLA = "Number of CLA at the end of the month"


@pytest.fixture
def ds():
    return make_dataset()


@pytest.fixture
def march(ds):
    """February published for all four indicators; in March one approved value (re-referrals,
    against a target it meets), one provisional (contacts), two not entered."""
    for indicator, figure in [(ds.rereferrals, 30), (ds.contacts, 1500), (ds.referral_rate, 400)]:
        add_values(indicator, [figure], start=date(2022, 2, 1))
    add_values(ds.cla, [500], start=date(2022, 2, 1))
    PublicationFactory(
        panel=ds.panel, month=date(2022, 2, 1), published_at="2022-03-01T12:00Z"
    )
    TargetFactory(indicator=ds.rereferrals, year=2021, number=D(27))
    add_values(ds.rereferrals, [25], start=MARCH, state="approved")
    add_values(ds.contacts, [1606], start=MARCH, state="provisional")
    return ds


def signed_in(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def check_url(ds, month="2022-03"):
    return reverse("admin:indicators_entry_publish", args=[ds.panel.slug, month])


def status_url(ds, month="2022-03"):
    return reverse("admin:indicators_entry_month_status", args=[ds.panel.slug, month])


# --- The rule ---------------------------------------------------------------------------------


def test_the_summary_counts_and_names_the_indicators_without_a_value():
    found = completeness.completeness(
        month_label="March 2022",
        indicators=[
            ("M1 Re-referrals", True, "approved"),
            ("M2 Contacts", False, "provisional"),
            ("M3", False, None),
            ("M4", False, "approved"),
        ],
    )
    assert found.summary == completeness.MSG_INCOMPLETE.format(
        missing=3, total=4, month="March 2022"
    )
    assert found.lines() == [
        "3 of 4 indicators have no March 2022 value:",
        "- M2 Contacts (entered, not approved)",
        "- M3 (not entered)",
        "- M4 (approved, not published)",
    ]
    whole = completeness.completeness(month_label="March 2022", indicators=[("M1", True, None)])
    assert whole.is_complete
    assert whole.lines() == [completeness.MSG_COMPLETE.format(total=1, month="March 2022")]


def test_the_month_s_completeness_counts_published_and_approved_values(march):
    ds = march
    Indicator.objects.create(
        panel=ds.panel, name="Retired indicator", outturn_type="number", is_active=False
    )
    found = selectors.month_completeness(panel=ds.panel, month=MARCH)
    assert found.lines() == [
        "3 of 4 indicators have no March 2022 value:",
        f"- {CONTACTS} (entered, not approved)",
        f"- {RATE} (not entered)",
        f"- {CLA} (not entered)",
    ]
    # A value published already counts; a status (TBC) is a value too.
    add_values(ds.cla, ["tbc"], start=MARCH)
    assert selectors.month_completeness(panel=ds.panel, month=MARCH).summary == (
        "2 of 4 indicators have no March 2022 value:"
    )


# --- The screen ------------------------------------------------------------------------------


def test_the_check_shows_what_becomes_public_and_what_is_missing_and_publishes_nothing(
    client, march
):
    ds = march
    client = signed_in(client, ds.performance)
    status = client.get(status_url(ds)).content.decode()
    assert f'href="{check_url(ds)}"' in status
    assert "Check and publish 1 approved value" in status

    response = client.get(check_url(ds))
    assert response.status_code == 200
    html = response.content.decode()
    assert f"Check before you publish: {PANEL}, March 2022" in html
    (row,) = response.context["check"].rows
    assert (row.indicator, row.figure, row.month_label, row.rag.label) == (
        REREF,
        "25%",
        "March 2022",
        "Green",
    )
    assert "25% for March 2022; RAG: Green" in html
    assert "3 of 4 indicators have no March 2022 value:" in html
    for name in (f"{CONTACTS} (entered, not approved)", f"{RATE} (not entered)", CLA):
        assert name in html
    assert "Confirm and publish March 2022" in html
    # Looking is not publishing.
    assert not Value.objects.published().filter(month=MARCH).exists()
    assert not Publication.objects.filter(month=MARCH).exists()


def test_confirming_publishes_exactly_what_was_checked(client, march):
    ds = march
    client = signed_in(client, ds.performance)
    token = client.get(check_url(ds)).context["check"].token
    response = client.post(check_url(ds), {"token": token}, follow=True)
    assert response.redirect_chain[-1][0] == status_url(ds)
    assert [str(m) for m in response.context["messages"]] == [
        MSG_PUBLISHED.format(panel=PANEL, month="March 2022", count=1)
        + f" 1 provisional value(s) were not published: {CONTACTS}."
    ]
    assert list(Value.objects.published().filter(month=MARCH).values_list("number", flat=True)) == [
        D(25)
    ]
    assert Publication.objects.filter(panel=ds.panel, month=MARCH).exists()
    # The public sees the published figure (and still not the provisional one).
    client.logout()
    assert "25%" in client.get(f"/indicators/{ds.rereferrals.pk}/").content.decode()
    api = client.get(f"/api/indicators/{ds.rereferrals.pk}/").json()
    assert {"month": "2022-03", "value": 25.0, "status": "", "revised": False} in api["values"]
    api = client.get(f"/api/indicators/{ds.contacts.pk}/").json()
    assert "2022-03" not in [row["month"] for row in api["values"]]


def test_a_check_gone_stale_publishes_nothing_and_says_why(client, march):
    ds = march
    client = signed_in(client, ds.performance)
    token = client.get(check_url(ds)).context["check"].token
    # Meanwhile another value is approved: the confirmation no longer matches what was shown.
    services.approve_values(user=ds.performance, values=Value.objects.filter(month=MARCH))
    response = client.post(check_url(ds), {"token": token})
    assert response.status_code == 200
    message = services.MSG_PUBLISH_CHECK_STALE.format(panel=PANEL, month="March 2022")
    assert response.context["errors"] == [message]
    assert "There is a problem" in response.content.decode()
    assert not Value.objects.published().filter(month=MARCH).exists()
    # The screen now shows both values; confirming that publishes both.
    assert len(response.context["check"].rows) == 2
    client.post(check_url(ds), {"token": response.context["check"].token})
    assert Value.objects.published().filter(month=MARCH).count() == 2


def test_a_confirmation_without_the_check_s_token_publishes_nothing(client, march):
    ds = march
    client = signed_in(client, ds.performance)
    response = client.post(check_url(ds), {})
    assert response.status_code == 200
    assert response.context["errors"] == [
        services.MSG_PUBLISH_CHECK_STALE.format(panel=PANEL, month="March 2022")
    ]
    # The month's screen no longer publishes: its old publish action leads to the check.
    response = client.post(status_url(ds), {"action": "publish"})
    assert response.status_code == 302 and response["Location"] == check_url(ds)
    assert not Value.objects.published().filter(month=MARCH).exists()


def test_with_nothing_approved_the_check_says_so_and_offers_no_button(client, ds):
    response = signed_in(client, ds.performance).get(check_url(ds))
    html = response.content.decode()
    assert services.MSG_NOTHING_TO_PUBLISH.format(panel=PANEL, month="March 2022") in html
    assert "Confirm and publish" not in html
    response = client.post(check_url(ds), {"token": response.context["check"].token})
    assert response.context["errors"] == [
        services.MSG_NOTHING_TO_PUBLISH.format(panel=PANEL, month="March 2022")
    ]


def test_only_performance_managers_reach_the_check(client, march):
    ds = march
    for user in (ds.officer, ds.member):
        client = signed_in(client, user)
        assert client.get(check_url(ds)).status_code == 403
        assert client.post(check_url(ds), {"token": "x"}).status_code == 403
    client.logout()
    response = client.get(check_url(ds))
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
    assert not Value.objects.published().filter(month=MARCH).exists()


def test_the_check_s_query_count_does_not_grow(client, march, django_assert_max_num_queries):
    ds = march
    client = signed_in(client, ds.performance)
    with django_assert_max_num_queries(12) as queries:
        assert client.get(check_url(ds)).status_code == 200
    count = len(queries.captured_queries)
    for i in range(15):
        indicator = Indicator.objects.create(
            panel=ds.panel, priority_area=ds.area, name=f"More {i}", outturn_type="number"
        )
        TargetFactory(indicator=indicator, year=2021, number=i)
        add_values(indicator, [i], start=MARCH, state="approved" if i % 2 else "provisional")
    with django_assert_max_num_queries(count):
        response = client.get(check_url(ds))
    assert len(response.context["check"].rows) == 8
    assert response.context["check"].completeness.total == 19


# --- The command line ------------------------------------------------------------------------


def test_import_dataset_publish_prints_the_summary_before_it_publishes(march, tmp_path):
    ds = march
    path = tmp_path / "march.xlsx"
    path.write_bytes(
        book_2022([("", [[CLA, "NUMBER", "512", ""]])], months=["Mar-22"], comparators=[])
    )
    out = io.StringIO()
    printed_before_writing = []

    real_apply = imports.apply_import

    def apply_and_note(**kwargs):
        printed_before_writing.append(out.getvalue())
        return real_apply(**kwargs)

    with mock.patch.object(imports, "apply_import", apply_and_note):
        call_command(
            "import_dataset",
            str(path),
            "--panel",
            "cf",
            "--publish",
            stdout=out,
            stderr=io.StringIO(),
        )
    expected = "\n".join(
        [
            # re-referrals is approved, but the import publishes only what it imports.
            "3 of 4 indicators have no March 2022 value:",
            f"- {REREF} (approved, not published)",
            f"- {CONTACTS} (entered, not approved)",
            f"- {RATE} (not entered)",
        ]
    )
    assert printed_before_writing == [expected + "\n"]
    assert "Published: March 2022." in out.getvalue()
    assert Value.objects.get(indicator=ds.cla, month=MARCH).state == Value.State.PUBLISHED


def test_import_dataset_without_publish_prints_no_summary(ds, tmp_path):
    path = tmp_path / "march.xlsx"
    path.write_bytes(
        book_2022([("", [[CLA, "NUMBER", "512", ""]])], months=["Mar-22"], comparators=[])
    )
    out = io.StringIO()
    call_command("import_dataset", str(path), "--panel", "cf", stdout=out, stderr=io.StringIO())
    assert "indicators have no" not in out.getvalue()


def test_the_admin_s_publication_list_is_read_only(client, march):
    """No side door: a Publication added by hand would move the public month with no values."""
    ds = march
    client = signed_in(client, ds.performance)
    assert client.get(reverse("admin:indicators_publication_changelist")).status_code == 200
    assert client.get(reverse("admin:indicators_publication_add")).status_code == 403
    response = client.post(
        reverse("admin:indicators_publication_add"),
        {"panel": ds.panel.pk, "month": "2022-03-01", "published_at_0": "01/04/2022"},
    )
    assert response.status_code == 403
    february = Publication.objects.get(month=date(2022, 2, 1))
    url = reverse("admin:indicators_publication_delete", args=[february.pk])
    assert client.post(url, {"post": "yes"}).status_code == 403
    assert list(Publication.objects.values_list("month", flat=True)) == [date(2022, 2, 1)]
