"""The admin's monthly entry, targets, approval, revision and import screens, as users see them."""

from datetime import date, timedelta
from decimal import Decimal as D
from unittest import mock

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from core import upload_stash
from indicators import forms as entry_forms
from indicators import permissions, services
from indicators.admin_views import MSG_IMPORT_EXPIRED
from indicators.models import (
    BenchmarkValue,
    Commentary,
    Indicator,
    PriorityArea,
    Target,
    Value,
    ValueRevision,
)
from indicators.rules import validation
from indicators.services import import_plan
from tests.factories import (
    BenchmarkValueFactory,
    CommentaryFactory,
    ComparatorFactory,
    TargetFactory,
)

from .entry_fixtures import add_values, make_dataset
from .workbooks import book_2022

pytestmark = pytest.mark.django_db
MARCH = date(2022, 3, 1)
REREF = "Percentage of re-referrals within 12 months"


@pytest.fixture
def demo(db):
    """The seed demo loaded for the tests that ask for it: this module's other tests build
    their own panel, which a module-wide demo would collide with."""
    call_command("load_demo", verbosity=0)


@pytest.fixture
def ds():
    return make_dataset()


def signed_in(client, user):
    client.force_login(user)
    return client


def month_url(area, month="2022-03"):
    return reverse("admin:indicators_entry_month", args=[area.pk, month])


def row_data(ds, **rows):
    """POST data for the entry grid: rows maps indicator attr -> dict of fields."""
    data = {"commentary-analysis": "", "commentary-actions": ""}
    for attr in ("rereferrals", "contacts", "referral_rate"):
        indicator = getattr(ds, attr)
        fields = rows.get(attr, {})
        for name in ("value", "status", "numerator", "denominator"):
            data[f"i{indicator.pk}-{name}"] = fields.get(name, "")
    return data


def messages_of(response):
    return [str(m) for m in response.context["messages"]] if response.context else []


# --- The entry screen ------------------------------------------------------------------------


def test_the_entry_screen_lists_the_officers_rows(client, ds):
    response = signed_in(client, ds.officer).get(month_url(ds.area))
    assert response.status_code == 200
    body = response.content.decode()
    assert REREF in body and "Number of contacts" in body
    assert "Number of CLA at the end of the month" not in body
    assert 'aria-label="Value for Percentage of re-referrals within 12 months, March 2022"' in body


def test_an_officer_is_refused_another_areas_screen(client, ds):
    assert signed_in(client, ds.officer).get(month_url(ds.other_area)).status_code == 403
    assert client.post(month_url(ds.other_area), {}).status_code == 403


def test_members_are_refused_the_entry_screens(client, ds):
    client.force_login(ds.member)
    assert client.get(month_url(ds.area)).status_code in (302, 403)
    assert client.get(reverse("admin:indicators_entry_changelist")).status_code in (302, 403)


def test_saving_a_month_saves_values_and_commentary_in_one_go(client, ds):
    data = row_data(
        ds,
        rereferrals={"value": "29%"},
        contacts={"value": "1,606"},
        referral_rate={"status": "tbc"},
    )
    data["commentary-analysis"] = "Contacts are higher."
    data["commentary-actions"] = "- Analyse conversion\n- Report in April"
    response = signed_in(client, ds.officer).post(month_url(ds.area), data, follow=True)
    assert response.status_code == 200
    assert messages_of(response) == [
        "Right service at the right time, March 2022: 3 added, 0 changed, 0 unchanged."
    ]
    values = {v.indicator_id: v for v in Value.objects.filter(month=MARCH)}
    assert values[ds.rereferrals.pk].number == D(29)
    assert values[ds.contacts.pk].number == D(1606)
    assert values[ds.referral_rate.pk].status == "tbc"
    assert {v.state for v in values.values()} == {"provisional"}
    commentary = Commentary.objects.get(priority_area=ds.area, month=MARCH)
    assert commentary.action_points == ["Analyse conversion", "Report in April"]


def test_one_bad_row_saves_nothing_and_names_the_indicator_and_month(client, ds):
    data = row_data(ds, rereferrals={"value": "29"}, contacts={"value": "12.5"})
    data["commentary-analysis"] = "Words"
    response = signed_in(client, ds.officer).post(month_url(ds.area), data)
    assert response.status_code == 200
    expected = validation.MSG_COUNT_NOT_WHOLE.format(
        indicator="Number of contacts", month="March 2022", value="12.5"
    )
    assert response.context["errors"] == [expected]
    assert expected in response.content.decode()
    assert not Value.objects.exists() and not Commentary.objects.exists()


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        (
            {"rereferrals": {"value": "129"}},
            validation.MSG_PERCENTAGE_RANGE.format(
                indicator=REREF, month="March 2022", value="129"
            ),
        ),
        (
            {"rereferrals": {"value": "29", "status": "na"}},
            validation.MSG_NUMBER_AND_STATUS.format(
                indicator=REREF, month="March 2022", status="N/A"
            ),
        ),
        (
            {"contacts": {"value": "-4"}},
            validation.MSG_COUNT_NEGATIVE.format(
                indicator="Number of contacts", month="March 2022", value="-4"
            ),
        ),
        (
            {"rereferrals": {"value": "30", "numerator": "1", "denominator": "4"}},
            validation.MSG_FRACTION_MISMATCH.format(
                indicator=REREF,
                month="March 2022",
                numerator="1",
                denominator="4",
                computed="25",
                value="30",
            ),
        ),
        (
            {"rereferrals": {"value": "lots"}},
            validation.MSG_UNREADABLE.format(indicator=REREF, month="March 2022", text="lots"),
        ),
        (
            {"rereferrals": {"value": "<30"}},
            entry_forms.MSG_BOUND_IN_VALUE.format(indicator=REREF, month="March 2022", bound="<"),
        ),
    ],
)
def test_each_entry_error_is_shown_by_the_screen(client, ds, rows, message):
    response = signed_in(client, ds.officer).post(month_url(ds.area), row_data(ds, **rows))
    assert response.status_code == 200
    assert message in response.context["errors"]
    assert not Value.objects.exists()


def test_a_future_month_is_refused(client, ds):
    response = signed_in(client, ds.officer).post(
        month_url(ds.area, "2999-01"), row_data(ds, rereferrals={"value": "29"})
    )
    assert response.context["errors"][0].startswith(f"{REREF}, January 2999: the month is in")
    assert not Value.objects.exists()


def test_a_percentage_is_computed_from_numerator_and_denominator(client, ds):
    data = row_data(ds, rereferrals={"numerator": "29", "denominator": "100"})
    signed_in(client, ds.officer).post(month_url(ds.area), data)
    value = Value.objects.get(indicator=ds.rereferrals)
    assert (value.number, value.numerator, value.denominator) == (D(29), D(29), D(100))


def test_a_value_far_outside_the_history_needs_confirming_with_a_reason(client, ds):
    add_values(ds.contacts, [1828, 2016, 2294, 2093, 1781, 2038, 1895, 1843, 1653, 1880, 1606])
    data = row_data(ds, contacts={"value": "16060"})
    client = signed_in(client, ds.officer)
    response = client.post(month_url(ds.area), data)
    assert response.status_code == 200
    assert response.context["warnings"][0] == services.MSG_CONFIRM_WARNINGS
    assert "16060 is far outside the indicator's history" in response.context["warnings"][1]
    assert 'id="confirm-warnings"' in response.content.decode()
    assert not Value.objects.filter(month=MARCH).exists()
    # Ticking the box without a reason is not enough.
    response = client.post(month_url(ds.area), {**data, "confirm-confirm": "on"})
    assert response.context["warnings"][0] == services.MSG_REASON_REQUIRED
    response = client.post(
        month_url(ds.area),
        {**data, "confirm-confirm": "on", "confirm-reason": "Care Director backlog cleared"},
        follow=True,
    )
    value = Value.objects.get(month=MARCH)
    assert value.number == D(16060)
    assert value.history.first().history_change_reason == "Care Director backlog cleared"
    assert "1 warning(s) confirmed" in messages_of(response)[0]


def test_a_cumulative_measure_is_checked_by_its_monthly_increments(client, ds):
    add_values(ds.referral_rate, [71, 170, 244, 323, 386, 482, 573, 663, 758, 853, 896])
    # March's 990 is an increment of 94: ordinary, although above every earlier value.
    data = row_data(ds, referral_rate={"value": "990"})
    response = signed_in(client, ds.officer).post(month_url(ds.area), data, follow=True)
    assert response.context["messages"] and not response.context.get("warnings")
    assert Value.objects.get(indicator=ds.referral_rate, month=MARCH).number == D(990)


def test_a_published_value_is_read_only_on_the_screen(client, ds):
    add_values(ds.rereferrals, [21], start=MARCH)
    response = signed_in(client, ds.officer).get(month_url(ds.area))
    form = response.context["grid"].rows[0]["form"]
    assert form.readonly and form.fields["value"].disabled
    # A forged POST for the published row changes nothing: the row's data is ignored.
    data = row_data(ds, rereferrals={"value": "50"})
    client.post(month_url(ds.area), data)
    assert Value.objects.get(indicator=ds.rereferrals).number == D(21)


def test_clearing_an_entered_value_is_refused(client, ds):
    add_values(ds.contacts, [1606], start=MARCH, state="provisional")
    response = signed_in(client, ds.officer).post(month_url(ds.area), row_data(ds))
    assert response.context["errors"] == [
        services.MSG_CLEARED.format(indicator="Number of contacts", month="March 2022")
    ]


def test_the_entry_screen_query_count_does_not_grow_with_rows(
    client, ds, django_assert_max_num_queries
):
    client = signed_in(client, ds.performance)
    with django_assert_max_num_queries(12) as few:
        client.get(month_url(ds.area))
    for i in range(20):
        indicator = Indicator.objects.create(
            panel=ds.panel, priority_area=ds.area, name=f"Extra {i}", outturn_type="number"
        )
        add_values(indicator, [i, i + 1], start=date(2022, 2, 1))
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(month_url(ds.area))
    assert len(response.context["grid"].rows) == 23


def test_the_index_offers_the_officers_areas_and_a_month_jump(client, ds):
    client = signed_in(client, ds.officer)
    response = client.get(reverse("admin:indicators_entry_changelist"))
    assert response.status_code == 200
    assert [row["area"] for row in response.context["rows"]] == [ds.area]
    response = client.get(
        reverse("admin:indicators_entry_changelist"), {"area": ds.area.pk, "month": "2022-03"}
    )
    assert response.url == month_url(ds.area)


def test_the_admin_index_and_the_area_list_link_to_entry(client, ds):
    client = signed_in(client, ds.officer)
    body = client.get(reverse("admin:index")).content.decode()
    assert reverse("admin:indicators_entry_changelist") in body
    assert "Monthly data entry" in body
    body = client.get(reverse("admin:indicators_priorityarea_changelist")).content.decode()
    assert "Enter Right service at the right time" in body


# --- Targets and benchmarks ----------------------------------------------------------------


def test_targets_and_benchmarks_are_saved_for_a_year(client, ds):
    england = ComparatorFactory(name="England", kind="national", order=1)
    url = reverse("admin:indicators_entry_targets", args=[ds.area.pk, 2021])
    client = signed_in(client, ds.officer)
    assert client.get(url).status_code == 200
    data = {f"i{i.pk}-target": "" for i in (ds.rereferrals, ds.contacts, ds.referral_rate)}
    data.update(
        {f"i{i.pk}-c{england.pk}": "" for i in (ds.rereferrals, ds.contacts, ds.referral_rate)}
    )
    data[f"i{ds.rereferrals.pk}-target"] = "<23%"
    data[f"i{ds.rereferrals.pk}-c{england.pk}"] = "N/A"
    data[f"i{ds.contacts.pk}-target"] = "TBC"
    response = client.post(url, data, follow=True)
    assert "targets and benchmarks of 2 indicator(s) changed" in messages_of(response)[0]
    target = Target.objects.get(indicator=ds.rereferrals, year=2021)
    assert (target.bound, target.number) == ("<", D(23))
    assert Target.objects.get(indicator=ds.contacts).status == "tbc"
    assert BenchmarkValue.objects.get(indicator=ds.rereferrals, comparator=england).status == "na"
    # A target over 100% is refused, naming the indicator and the year.
    data[f"i{ds.rereferrals.pk}-target"] = "123%"
    response = client.post(url, data)
    assert response.context["errors"] == [
        validation.MSG_PERCENTAGE_RANGE.format(indicator=REREF, month="2021/22", value="123")
    ]
    # Removing the target removes it.
    data[f"i{ds.rereferrals.pk}-target"] = ""
    client.post(url, data)
    assert not Target.objects.filter(indicator=ds.rereferrals).exists()


def test_an_officer_is_refused_another_areas_targets(client, ds):
    url = reverse("admin:indicators_entry_targets", args=[ds.other_area.pk, 2021])
    assert signed_in(client, ds.officer).get(url).status_code == 403


# --- Approve, publish, revise --------------------------------------------------------------


def status_url(ds, month="2022-03"):
    return reverse("admin:indicators_entry_month_status", args=[ds.panel.slug, month])


def test_a_performance_manager_approves_and_publishes_a_month(client, ds):
    add_values(ds.rereferrals, [29], start=MARCH, state="provisional")
    add_values(ds.contacts, [1606], start=MARCH, state="provisional")
    client = signed_in(client, ds.performance)
    response = client.get(status_url(ds))
    assert "Approve 2 provisional values" in response.content.decode()
    response = client.post(status_url(ds), {"action": "approve"}, follow=True)
    assert messages_of(response) == ["2 value(s) approved for March 2022."]
    # Publishing goes through its check (issue 12): the confirmation posts the check's token.
    check = reverse("admin:indicators_entry_publish", args=[ds.panel.slug, "2022-03"])
    token = client.get(check).context["check"].token
    response = client.post(check, {"token": token}, follow=True)
    assert messages_of(response) == [
        "Children and Families Scrutiny Panel, March 2022 published: 2 value(s) now public."
    ]
    assert Value.objects.published().count() == 2


def test_publishing_with_nothing_approved_says_so(client, ds):
    check = reverse("admin:indicators_entry_publish", args=[ds.panel.slug, "2022-03"])
    response = signed_in(client, ds.performance).post(check, {"token": ""})
    assert response.context["errors"] == [
        services.MSG_NOTHING_TO_PUBLISH.format(panel=ds.panel, month="March 2022")
    ]


def test_officers_may_not_approve_or_publish(client, ds):
    add_values(ds.rereferrals, [29], start=MARCH, state="approved")
    client = signed_in(client, ds.officer)
    assert client.get(status_url(ds)).status_code == 403
    assert client.post(status_url(ds), {"action": "publish"}).status_code == 403
    check = reverse("admin:indicators_entry_publish", args=[ds.panel.slug, "2022-03"])
    assert client.post(check, {"token": ""}).status_code == 403
    assert not Value.objects.published().exists()


def test_a_performance_manager_revises_a_published_value_with_a_reason(client, ds):
    (value,) = add_values(ds.rereferrals, [29], start=MARCH)
    url = reverse("admin:indicators_value_revise", args=[value.pk])
    client = signed_in(client, ds.performance)
    response = client.post(url, {"value": "31", "reason": ""})
    assert response.status_code == 200 and "reason" in response.context["form"].errors
    response = client.post(url, {"value": "31%", "reason": "400 visits in draft"}, follow=True)
    assert messages_of(response) == [f"{REREF}, March 2022 revised from 29 to 31."]
    revision = ValueRevision.objects.get()
    assert (revision.reason, revision.revised_by) == ("400 visits in draft", ds.performance)
    value.refresh_from_db()
    assert value.revised
    history = client.get(reverse("admin:indicators_value_history", args=[value.pk]))
    assert "400 visits in draft" in history.content.decode()


def test_officers_may_not_revise(client, ds):
    (value,) = add_values(ds.rereferrals, [29], start=MARCH)
    url = reverse("admin:indicators_value_revise", args=[value.pk])
    client = signed_in(client, ds.officer)
    assert client.get(url).status_code == 403
    assert client.post(url, {"value": "31", "reason": "x"}).status_code == 403
    assert not ValueRevision.objects.exists()


# --- The plain admin lists -------------------------------------------------------------------


def test_officers_see_only_their_indicators_values_in_the_admin(client, ds):
    add_values(ds.rereferrals, [21, 27])
    add_values(ds.cla, [494, 498])
    response = signed_in(client, ds.officer).get(reverse("admin:indicators_value_changelist"))
    shown = {v.indicator for v in response.context["cl"].result_list}
    assert shown == {ds.rereferrals}
    target = TargetFactory(indicator=ds.cla, year=2021, number=1)
    assert client.get(reverse("admin:indicators_target_change", args=[target.pk])).status_code in (
        302,
        404,
    )


def test_members_see_only_published_values_in_the_admin(client, ds):
    add_values(ds.rereferrals, [21])
    add_values(ds.rereferrals, [27], start=date(2021, 5, 1), state="approved")
    ds.member.is_staff = True
    ds.member.save()
    response = signed_in(client, ds.member).get(reverse("admin:indicators_value_changelist"))
    assert [v.month for v in response.context["cl"].result_list] == [date(2021, 4, 1)]


def test_a_published_value_cannot_be_changed_through_the_plain_form(client, ds):
    (value,) = add_values(ds.rereferrals, [21])
    url = reverse("admin:indicators_value_change", args=[value.pk])
    client = signed_in(client, ds.performance)
    response = client.get(url)
    assert response.context["has_change_permission"] is False
    assert "Revise" in response.content.decode()
    client.post(
        url, {"indicator": ds.rereferrals.pk, "month": "2021-04-01", "number": "50", "status": ""}
    )
    value.refresh_from_db()
    assert value.number == D(21)


def test_the_plain_form_checks_values_by_the_same_rules(client, ds):
    url = reverse("admin:indicators_value_add")
    response = signed_in(client, ds.officer).post(
        url, {"indicator": ds.rereferrals.pk, "month": "2022-03-01", "number": "150", "status": ""}
    )
    assert (
        validation.MSG_PERCENTAGE_RANGE.format(indicator=REREF, month="March 2022", value="150")
        in response.content.decode()
    )
    response = client.post(
        url, {"indicator": ds.cla.pk, "month": "2022-03-01", "number": "5", "status": ""}
    )
    assert not Value.objects.filter(indicator=ds.cla).exists()
    response = client.post(
        url, {"indicator": ds.rereferrals.pk, "month": "2022-03-01", "number": "29", "status": ""}
    )
    value = Value.objects.get(indicator=ds.rereferrals)
    assert (value.state, value.entered_by) == ("provisional", ds.officer)


def test_the_approve_action_is_for_performance_managers(client, ds):
    values = add_values(ds.rereferrals, [21, 27], state="provisional")
    url = reverse("admin:indicators_value_changelist")
    data = {"action": "approve_selected", "_selected_action": [v.pk for v in values]}
    signed_in(client, ds.officer).post(url, data)
    assert not Value.objects.filter(state="approved").exists()
    response = signed_in(client, ds.performance).post(url, data, follow=True)
    assert "2 value(s) approved." in messages_of(response)
    assert Value.objects.filter(state="approved").count() == 2


# --- Import through the admin ---------------------------------------------------------------

IMPORT_URL = "admin:indicators_entry_import"
ROW = [REREF, "PERCENTAGE", "21%", "27%", "23%"]


def upload(client, data: bytes, name="dataset.xlsx", panel=None, **extra):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(
        reverse(IMPORT_URL),
        {"panel": panel, "file": SimpleUploadedFile(name, data), **extra},
    )


def test_upload_preview_confirm(client, ds):
    client = signed_in(client, ds.performance)
    data = book_2022([("", [ROW])], months=["Apr-21", "May-21"], comparators=[])
    response = upload(client, data, panel=ds.panel.pk)
    assert response.status_code == 200
    assert "3 to create, 0 to change, 0 to revise" in response.content.decode()
    assert not Value.objects.exists()
    token = response.context["token"]
    response = client.post(reverse(IMPORT_URL), {"confirm": "1", "token": token}, follow=True)
    assert messages_of(response) == [
        "dataset.xlsx imported into Children and Families Scrutiny Panel: 3 created, 0 changed, "
        "0 revised, 0 unchanged."
    ]
    assert Value.objects.count() == 2
    # The token is spent: confirming again says so and writes nothing.
    response = client.post(reverse(IMPORT_URL), {"confirm": "1", "token": token}, follow=True)
    assert messages_of(response) == [MSG_IMPORT_EXPIRED]


def test_confirm_validates_the_file_again(client, ds):
    client = signed_in(client, ds.performance)
    data = book_2022([("", [ROW])], months=["Apr-21", "May-21"], comparators=[])
    token = upload(client, data, panel=ds.panel.pk).context["token"]
    # Meanwhile April is published with another figure: the confirm step must now refuse.
    add_values(ds.rereferrals, [20])
    response = client.post(reverse(IMPORT_URL), {"confirm": "1", "token": token})
    assert response.context["plan"].errors[0].message == import_plan.MSG_PUBLISHED_CHANGE.format(
        indicator=REREF, month="April 2021", old="20", new="21"
    )
    assert Value.objects.count() == 1


def test_an_upload_with_errors_shows_them_by_sheet_row_and_column(client, ds):
    bad = [*ROW]
    bad[3] = "seven"
    response = upload(
        signed_in(client, ds.performance),
        book_2022([("", [bad])], months=["Apr-21", "May-21"], comparators=[]),
        panel=ds.panel.pk,
    )
    expected = "Sheet “Sheet”, row 4, column D: " + validation.MSG_UNREADABLE.format(
        indicator=REREF, month="May 2021", text="seven"
    )
    assert expected in response.content.decode().replace("&quot;", '"').replace("&#x27;", "'")
    assert response.context["token"] == ""


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("notes.txt", b"hello", entry_forms.MSG_UPLOAD_NOT_XLSX),
        ("fake.xlsx", b"hello", entry_forms.MSG_UPLOAD_NOT_XLSX),
    ],
)
def test_files_that_are_not_workbooks_are_refused_with_a_message(client, ds, name, data, message):
    response = upload(signed_in(client, ds.performance), data, name=name, panel=ds.panel.pk)
    assert response.status_code == 400
    assert message in response.context["form"].errors["file"]


def test_a_broken_workbook_is_refused_with_a_message(client, ds):
    import io
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")
    response = upload(signed_in(client, ds.performance), out.getvalue(), panel=ds.panel.pk)
    assert response.status_code == 400
    assert "not an Excel workbook" in response.context["refused"]


def test_an_upload_over_10_mb_is_refused(client, ds, monkeypatch):
    monkeypatch.setattr(entry_forms, "MAX_UPLOAD_BYTES", 10)
    data = book_2022([("", [ROW])], months=["Apr-21"], comparators=[])
    response = upload(signed_in(client, ds.performance), data, panel=ds.panel.pk)
    assert response.context["form"].errors["file"][0].startswith("The file is ")


def test_only_performance_managers_import(client, ds):
    client = signed_in(client, ds.officer)
    assert client.get(reverse(IMPORT_URL)).status_code == 403
    data = book_2022([("", [ROW])], months=["Apr-21"], comparators=[])
    assert upload(client, data, panel=ds.panel.pk).status_code == 403
    assert not Value.objects.exists()


def test_the_demo_officer_enters_the_first_two_areas(client, demo):
    from django.contrib.auth import get_user_model

    officer = get_user_model().objects.get(username="officer")
    areas = list(permissions.editable_areas(officer).order_by("order"))
    assert [a.order for a in areas] == [1, 2]
    client.force_login(officer)
    other = PriorityArea.objects.get(order=3)
    assert client.get(month_url(areas[0])).status_code == 200
    assert client.get(month_url(other)).status_code == 403


def test_the_index_and_month_status_query_counts_do_not_grow(
    client, ds, django_assert_max_num_queries
):
    client = signed_in(client, ds.performance)
    pages = [reverse("admin:indicators_entry_changelist"), status_url(ds, "2021-04")]
    counts = []
    for url in pages:
        with django_assert_max_num_queries(12) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries.captured_queries))
    for i in range(15):
        area = PriorityArea.objects.create(panel=ds.panel, name=f"Area {i}", order=10 + i)
        indicator = Indicator.objects.create(
            panel=ds.panel, priority_area=area, name=f"More {i}", outturn_type="number"
        )
        add_values(indicator, [i, i + 1, i + 2], state="provisional")
    for url, count in zip(pages, counts, strict=True):
        with django_assert_max_num_queries(count):
            response = client.get(url)
    assert len(response.context["rows"]) == 15


def test_officers_see_only_their_benchmarks_and_commentary_in_the_admin(client, ds):
    england = ComparatorFactory(name="England", kind="national", order=0)
    mine = BenchmarkValueFactory(
        indicator=ds.contacts, comparator=england, year=2020, number=1
    )
    BenchmarkValueFactory(indicator=ds.cla, comparator=england, year=2020, number=2)
    ours = CommentaryFactory(priority_area=ds.area, indicator=None, month=MARCH, analysis="Ours")
    CommentaryFactory(
        priority_area=ds.other_area, indicator=None, month=MARCH, analysis="Theirs"
    )
    client = signed_in(client, ds.officer)
    response = client.get(reverse("admin:indicators_benchmarkvalue_changelist"))
    assert list(response.context["cl"].result_list) == [mine]
    response = client.get(reverse("admin:indicators_commentary_changelist"))
    assert list(response.context["cl"].result_list) == [ours]
    # Panel members (were they staff) would see published commentary only.
    ds.member.is_staff = True
    ds.member.save()
    response = signed_in(client, ds.member).get(reverse("admin:indicators_commentary_changelist"))
    assert list(response.context["cl"].result_list) == []


def test_a_figure_too_large_to_store_is_refused_with_a_message(client, ds):
    """Found by the fuzz run: a 15-digit target used to raise a server error."""
    england = ComparatorFactory(name="England", kind="national", order=1)
    url = reverse("admin:indicators_entry_targets", args=[ds.area.pk, 2021])
    client = signed_in(client, ds.officer)
    data = {f"i{i.pk}-target": "" for i in (ds.rereferrals, ds.contacts, ds.referral_rate)}
    data.update(
        {f"i{i.pk}-c{england.pk}": "" for i in (ds.rereferrals, ds.contacts, ds.referral_rate)}
    )
    data[f"i{ds.contacts.pk}-c{england.pk}"] = "144409222805773"
    response = client.post(url, data)
    assert response.status_code == 200
    assert validation.MSG_TOO_LARGE.format(
        indicator=ds.contacts, month="England", value="144409222805773"
    ) in response.content.decode()
    assert not BenchmarkValue.objects.exists()


def test_an_upload_awaiting_confirmation_is_kept_in_the_shared_storage(client, ds):
    """Any app server behind the load balancer may receive the confirmation."""
    client = signed_in(client, ds.performance)
    data = book_2022([("", [ROW])], months=["Apr-21", "May-21"], comparators=[])
    token = upload(client, data, panel=ds.panel.pk).context["token"]
    name = f"{upload_stash.STASH_DIR}/{token}.upload"
    assert default_storage.exists(name)
    with default_storage.open(name, "rb") as file:
        assert file.read() == data
    client.post(reverse(IMPORT_URL), {"confirm": "1", "token": token})
    assert not default_storage.exists(name)


def test_an_expired_upload_is_refused_and_removed(client, ds):
    client = signed_in(client, ds.performance)
    data = book_2022([("", [ROW])], months=["Apr-21", "May-21"], comparators=[])
    token = upload(client, data, panel=ds.panel.pk).context["token"]
    name = f"{upload_stash.STASH_DIR}/{token}.upload"
    later = timezone.now() + upload_stash.KEPT + timedelta(minutes=1)
    with mock.patch.object(upload_stash.timezone, "now", return_value=later):
        response = client.post(reverse(IMPORT_URL), {"confirm": "1", "token": token}, follow=True)
    assert messages_of(response) == [MSG_IMPORT_EXPIRED]
    assert not Value.objects.exists()
    assert not default_storage.exists(name)


def test_the_plain_form_raises_the_entry_screens_outlier_warning_to_confirm(client, ds):
    """The admin form checks a figure against the indicator's history, as entry and import do:
    a figure far outside it is saved only with the box ticked and a reason."""
    add_values(ds.contacts, [1828, 2016, 2294, 2093, 1781, 2038, 1895, 1843, 1653, 1880, 1606])
    url = reverse("admin:indicators_value_add")
    data = {"indicator": ds.contacts.pk, "month": "2022-03-01", "number": "16060", "status": ""}
    client = signed_in(client, ds.officer)
    response = client.post(url, data)
    errors = response.context["adminform"].form.non_field_errors()
    assert errors[0] == services.MSG_CONFIRM_WARNINGS
    assert "16060 is far outside the indicator's history" in errors[1]
    assert not Value.objects.filter(month=MARCH).exists()
    response = client.post(url, {**data, "confirm_warnings": "on"})
    assert response.context["adminform"].form.non_field_errors()[0] == services.MSG_REASON_REQUIRED
    client.post(
        url, {**data, "confirm_warnings": "on", "warning_reason": "Care Director backlog cleared"}
    )
    value = Value.objects.get(month=MARCH)
    assert (value.number, value.state, value.entered_by) == (D(16060), "provisional", ds.officer)
    assert value.history.first().history_change_reason == "Care Director backlog cleared"
