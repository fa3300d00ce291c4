"""`manage.py check_data`: the seed demo passes; each problem planted in it is reported on a line
of its own, naming the object and what is wrong, and the command fails (exit status 1)."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import date, datetime, time
from decimal import Decimal
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone

from indicators.models import Indicator, PriorityArea, Target, Value
from meetings.models import AgendaItem, Meeting, Minute, Panel
from recommendations.models import Recommendation, RecommendationUpdate, Status
from scrutiny import integrity
from scrutiny.management.commands import check_data
from tests.factories import (
    CommentaryFactory,
    IndicatorFactory,
    MeetingFactory,
    MinuteFactory,
    PanelFactory,
    ValueFactory,
)

LONDON = ZoneInfo("Europe/London")
PANEL = "Children and Families Scrutiny Panel"
CONTACTS = "Number of contacts"
RE_REFERRALS = "Percentage of re-referrals within 12 months"
CLA_RATE = "Rate of CLA per 10,000 under 18 population"


def run_check(*args) -> tuple[list[str], CommandError | None]:
    """The lines check_data prints, and the error it ended with (None when it passed)."""
    out = StringIO()
    try:
        call_command("check_data", *args, stdout=out, stderr=StringIO())
    except CommandError as error:
        return out.getvalue().splitlines(), error
    return out.getvalue().splitlines(), None


def assert_problems(expected: list[str]) -> None:
    """check_data reports exactly these lines, then fails with exit status 1."""
    lines, error = run_check()
    assert lines == expected
    assert error is not None
    assert error.returncode == 1
    assert str(error) == check_data.MSG_PROBLEMS.format(count=len(expected))


@contextmanager
def constraint_lifted(model, name: str):
    """Let the test write a row the database would refuse, as a restored dump or a bulk load
    from before the constraint could hold one. The test's transaction restores it."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Pending deferred foreign-key checks would block ALTER TABLE: run them now.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            table = connection.ops.quote_name(model._meta.db_table)
            cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {connection.ops.quote_name(name)}")
            yield
        else:
            cursor.execute("PRAGMA ignore_check_constraints = ON")
            try:
                yield
            finally:
                cursor.execute("PRAGMA ignore_check_constraints = OFF")


def indicator(name: str) -> Indicator:
    return Indicator.objects.get(name=name)


def published_value(name: str, month: date) -> Value:
    return Value.objects.get(indicator__name=name, month=month)


def meeting_on(day: date) -> Meeting:
    return Meeting.objects.get(start__date=day)


def recommendation(title: str, number: int) -> Recommendation:
    return Recommendation.objects.get(item_title=title, number=number)


def month_label(month: date) -> str:
    return f"{month:%B %Y}"


# --- The demo -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_seed_demo_passes(demo):
    lines, error = run_check()
    assert error is None
    assert len(lines) == 1
    assert lines[0].startswith("No problems found: ")
    assert "values" in lines[0] and "recommendations" in lines[0] and "minutes" in lines[0]


@pytest.mark.django_db
def test_the_seed_demo_passes_for_its_panel_and_an_unknown_panel_is_refused(demo):
    lines, error = run_check("--panel", "children-and-families")
    assert error is None
    assert lines[0].startswith("No problems found: ")
    lines, error = run_check("--panel", "no-such-panel")
    assert lines == []
    assert str(error) == check_data.MSG_NO_PANEL.format(slug="no-such-panel")


@pytest.mark.django_db
def test_panel_option_checks_only_that_panel(demo):
    other = PanelFactory(name="Health Scrutiny Panel", slug="health")
    bad = ValueFactory(
        indicator=IndicatorFactory(panel=other, name="Percentage seen"), number=Decimal("140")
    )
    lines, error = run_check("--panel", "children-and-families")
    assert error is None
    lines, error = run_check("--panel", "health")
    assert lines == [
        f"Value #{bad.pk} (Health Scrutiny Panel): Percentage seen, {month_label(bad.month)}: "
        "a percentage must be between 0 and 100, not 140."
    ]
    assert error.returncode == 1


# --- Values -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_value_for_a_future_month(demo):
    this_month = timezone.localdate().replace(day=1)
    future = date(this_month.year + 1, this_month.month, 1)
    value = ValueFactory(indicator=indicator(CONTACTS), month=future, number=10)
    assert_problems(
        [
            f"Value #{value.pk} ({PANEL}): {CONTACTS}, {month_label(future)}: the month is in "
            f"the future; values can be entered up to {month_label(this_month)}."
        ]
    )


@pytest.mark.django_db
def test_a_value_dated_other_than_the_first(demo):
    with constraint_lifted(Value, "value_month_is_first_day"):
        value = ValueFactory(
            indicator=indicator(CONTACTS), month=date(2020, 6, 15), number=3
        )
    assert_problems(
        [f"Value #{value.pk} ({PANEL}): {CONTACTS}: the month is dated 15 June 2020, not the first "
         "of a month."]
    )


@pytest.mark.django_db
def test_a_value_with_an_unknown_status(demo):
    value = ValueFactory(
        indicator=indicator(CONTACTS), month=date(2020, 6, 1), number=None, status="guess"
    )
    assert_problems(
        [f"Value #{value.pk} ({PANEL}): {CONTACTS}, June 2020: “guess” is not a known status "
         "(TBC, N/A, Local, Not reported)."]
    )


@pytest.mark.django_db
def test_a_value_with_a_number_and_a_status(demo):
    with constraint_lifted(Value, "value_number_xor_status"):
        value = ValueFactory(
            indicator=indicator(CONTACTS), month=date(2020, 6, 1), number=4, status="tbc"
        )
    assert_problems(
        [f"Value #{value.pk} ({PANEL}): {CONTACTS}, June 2020: it has both a number (4) and a "
         "status (TBC)."]
    )


@pytest.mark.django_db
def test_a_published_value_of_an_unpublished_month(demo):
    value = ValueFactory(
        indicator=indicator(CONTACTS),
        month=date(2021, 3, 1),
        number=1200,
        state=Value.State.PUBLISHED,
        published_at=timezone.now(),
    )
    assert_problems(
        [f"Value #{value.pk} ({PANEL}): {CONTACTS}, March 2021: the value is published but the "
         "panel has no publication of March 2021."]
    )


@pytest.mark.django_db
def test_numbers_outside_their_outturn_types_range(demo):
    outside = "a percentage must be between 0 and 100, not"
    planted = [
        (RE_REFERRALS, date(2021, 5, 1), "120", f"{outside} 120."),
        (RE_REFERRALS, date(2021, 6, 1), "-0.5", f"{outside} -0.5."),
        (CONTACTS, date(2021, 7, 1), "-5", "a count cannot be negative (-5)."),
        (CONTACTS, date(2021, 8, 1), "10.5", "a count must be a whole number, not 10.5."),
        (CLA_RATE, date(2021, 9, 1), "-1.25", "a rate cannot be negative (-1.25)."),
    ]
    # The edges of the ranges pass.
    edges = [
        (RE_REFERRALS, date(2021, 9, 1), "100"),
        (RE_REFERRALS, date(2021, 10, 1), "0"),
        (CLA_RATE, date(2021, 10, 1), "0"),
    ]
    for name, month, number in edges:
        Value.objects.filter(pk=published_value(name, month).pk).update(number=Decimal(number))
    assert run_check()[1] is None
    expected = []
    for name, month, number, what in planted:
        value = published_value(name, month)
        Value.objects.filter(pk=value.pk).update(number=Decimal(number), status="")
        expected.append(f"Value #{value.pk} ({PANEL}): {name}, {month_label(month)}: {what}")
    # In dataset order: by indicator, then month.
    assert_problems(expected)


# --- Targets ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_tbc_target_with_a_bound(demo):
    target = Target.objects.get(indicator__name=CONTACTS, year=2021)
    assert target.status == "tbc"
    with constraint_lifted(Target, "target_bound_needs_number"):
        Target.objects.filter(pk=target.pk).update(bound="<")
    assert_problems(
        [f"Target #{target.pk} ({PANEL}): {CONTACTS}, target 2021/22: it is TBC but has the "
         "bound “<”; a bound needs a number."]
    )


@pytest.mark.django_db
def test_a_bound_contradicting_the_polarity(demo):
    target = Target.objects.get(indicator__name=RE_REFERRALS, year=2021)
    assert indicator(RE_REFERRALS).polarity == "lower"
    Target.objects.filter(pk=target.pk).update(bound="<")
    assert run_check()[1] is None
    Target.objects.filter(pk=target.pk).update(bound=">=")
    assert_problems(
        [f"Target #{target.pk} ({PANEL}): {RE_REFERRALS}, target 2021/22: the bound “>=” says "
         "higher is better, but the indicator's polarity is “Lower is better”."]
    )


# --- Commentary ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_commentary_for_a_month_without_values(demo):
    area = PriorityArea.objects.get(name="Purposeful Direct Contact")
    on_area = CommentaryFactory(
        priority_area=area,
        indicator=None,
        month=date(2020, 1, 1),
        analysis="Words.",
        state="published",
    )
    on_indicator = CommentaryFactory(
        indicator=indicator(CONTACTS), month=date(2019, 12, 1), analysis="Words."
    )
    # A month with values passes, on an area and on an indicator.
    CommentaryFactory(
        priority_area=area, indicator=None, month=date(2021, 12, 1), analysis="Words."
    )
    CommentaryFactory(indicator=indicator(CONTACTS), month=date(2021, 12, 1), analysis="Words.")
    assert_problems(
        [
            f"Commentary #{on_indicator.pk} ({PANEL}): commentary for December 2019 on the "
            f"indicator “{CONTACTS}”, but it has no value for December 2019.",
            f"Commentary #{on_area.pk} ({PANEL}): commentary for January 2020 on the priority "
            "area “Purposeful Direct Contact”, but none of its indicators has a value for "
            "January 2020.",
        ]
    )


# --- The tracker --------------------------------------------------------------------------


@pytest.mark.django_db
def test_accepted_at_a_meeting_before_it_was_made(demo):
    rec = recommendation("SSCP Annual Report", 1)
    assert rec.status.is_complete
    Recommendation.objects.filter(pk=rec.pk).update(accepted_at=meeting_on(date(2021, 11, 25)))
    assert_problems(
        [f"Recommendation #{rec.pk}, 1) of “SSCP Annual Report”, 27 January 2022 ({PANEL}): "
         "accepted as complete at the meeting of 25 November 2021, not after the meeting of "
         "27 January 2022 that made it."]
    )


@pytest.mark.django_db
def test_accepted_but_not_complete(demo):
    complete = recommendation("Quality Assurance Brief", 2)
    Recommendation.objects.filter(pk=complete.pk).update(accepted_at=meeting_on(date(2022, 3, 31)))
    assert run_check()[1] is None
    rec = recommendation("Quality Assurance Brief", 1)
    Recommendation.objects.filter(pk=rec.pk).update(accepted_at=meeting_on(date(2022, 3, 31)))
    assert_problems(
        [f"Recommendation #{rec.pk}, 1) of “Quality Assurance Brief”, 27 January 2022 ({PANEL}): "
         "accepted as complete at the meeting of 31 March 2022, but its status is “In train”, "
         "not a complete status."]
    )


@pytest.mark.django_db
def test_rejection_reported_but_not_rejected(demo):
    rejected = recommendation("Quality Assurance Brief", 1)
    Recommendation.objects.filter(pk=rejected.pk).update(
        rejection_reported_at=meeting_on(date(2022, 3, 31)),
        status=Status.objects.get(is_rejected=True),
    )
    assert run_check()[1] is None
    rec = recommendation("Quality Assurance Brief", 3)
    Recommendation.objects.filter(pk=rec.pk).update(
        rejection_reported_at=meeting_on(date(2021, 6, 17))
    )
    assert_problems(
        [
            f"Recommendation #{rec.pk}, 3) of “Quality Assurance Brief”, 27 January 2022 "
            f"({PANEL}): its rejection was reported to the meeting of 17 June 2021, not after "
            "the meeting of 27 January 2022 that made it.",
            f"Recommendation #{rec.pk}, 3) of “Quality Assurance Brief”, 27 January 2022 "
            f"({PANEL}): its rejection was reported to the meeting of 17 June 2021, but its "
            "status is “Not complete – within timescale”, not a rejected status.",
        ]
    )


@pytest.mark.django_db
def test_an_update_dated_before_the_meeting(demo):
    rec = recommendation("SSCP Annual Report", 1)
    update = RecommendationUpdate.objects.create(
        recommendation=rec, date=date(2022, 1, 26), action_taken="Early.", status=rec.status
    )
    RecommendationUpdate.objects.create(
        recommendation=rec, date=date(2022, 1, 27), action_taken="Same day.", status=rec.status
    )
    assert_problems(
        [f"Update #{update.pk} of recommendation #{rec.pk}, 1) of “SSCP Annual Report”, "
         f"27 January 2022 ({PANEL}): the update dated 26 January 2022 is before the meeting of "
         "27 January 2022 that made the recommendation."]
    )


# --- Minutes ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_gap_in_the_minutes_numbering(demo):
    assert sorted(Minute.objects.values_list("number", flat=True)) == list(range(28, 35))
    Minute.objects.filter(number=34).update(number=37)
    Minute.objects.filter(number=30).delete()
    assert_problems(
        [
            f"Minutes of {PANEL}, 2021/22: minute 30 is missing between minutes 29 and 31.",
            f"Minutes of {PANEL}, 2021/22: minutes 34–36 are missing between minutes 33 and 37.",
        ]
    )


@pytest.mark.django_db
def test_a_number_used_twice_in_a_municipal_year(demo):
    # The database refuses a number used twice under one filed year; a minute filed under the
    # wrong year slips past it.
    panel = Panel.objects.get()
    january = meeting_on(date(2022, 1, 27))
    first = Minute.objects.get(number=30)
    again = MinuteFactory(
        meeting=january, panel=panel, municipal_year=2020, number=30, title="Again"
    )
    assert_problems(
        [
            f"Minute #{again.pk} ({PANEL}): minute 30 is filed under the municipal year 2020/21, "
            "but its meeting of 27 January 2022 is in 2021/22.",
            f"Minutes of {PANEL}, 2021/22: minute 30 is used 2 times (#{first.pk} of 25 November "
            f"2021, #{again.pk} of 27 January 2022).",
            f"Minutes of {PANEL}, 2021/22: minutes of the meeting of 27 January 2022 (30) are "
            "numbered before those of the earlier meeting of 25 November 2021 (28–34).",
        ]
    )


@pytest.mark.django_db
def test_minutes_running_on_to_the_next_meeting_pass(demo):
    panel = Panel.objects.get()
    january = meeting_on(date(2022, 1, 27))
    for number in (35, 36):
        MinuteFactory(
            meeting=january, panel=panel, municipal_year=2021, number=number, title="Next"
        )
    # A new municipal year starts again from 1.
    may = MeetingFactory(
        panel=panel, start=datetime.combine(date(2022, 6, 9), time(17, 30), LONDON)
    )
    MinuteFactory(meeting=may, panel=panel, municipal_year=2022, number=1, title="New")
    assert run_check()[1] is None


# --- Exempt items -------------------------------------------------------------------------


@pytest.mark.django_db
def test_exempt_items_without_a_paragraph(demo):
    items = AgendaItem.objects.filter(meeting__start__date=date(2022, 3, 31))
    items.filter(number=9).update(exempt=True, exempt_paragraph=3)
    assert run_check()[1] is None
    none, nine = items.get(number=7), items.get(number=8)
    with constraint_lifted(AgendaItem, "agendaitem_exempt_needs_paragraph"):
        items.filter(pk=none.pk).update(exempt=True, exempt_paragraph=None)
        items.filter(pk=nine.pk).update(exempt=True, exempt_paragraph=9)
    assert_problems(
        [
            f"Agenda item #{none.pk}, 7. “ELECTIVE HOME EDUCATION”, meeting of 31 March 2022 "
            f"({PANEL}): exempt without a paragraph of Schedule 12A (1–7); the public would not "
            "be told why it is exempt.",
            f"Agenda item #{nine.pk}, 8. “{nine.title}”, meeting of 31 March 2022 ({PANEL}): "
            "exempt without a paragraph of Schedule 12A (1–7) (it gives 9); the public would not "
            "be told why it is exempt.",
        ]
    )


# --- The rules alone, without a database --------------------------------------------------


def minute(pk, number, day, *, filed=None, meeting_id=None):
    return integrity.MinuteRecord(
        pk, 1, "P", filed if filed is not None else 2021, number, meeting_id or day.toordinal(), day
    )


def test_minutes_numbered_twice_under_the_same_year():
    day = date(2021, 11, 25)
    found = list(integrity.check_minutes(minutes=[minute(1, 5, day), minute(2, 5, day)]))
    assert [p.text for p in found] == [
        "Minutes of P, 2021/22: minute 5 is used 2 times (#1 of 25 November 2021, "
        "#2 of 25 November 2021)."
    ]


def test_minutes_of_two_panels_are_numbered_apart():
    day = date(2021, 11, 25)
    other = integrity.MinuteRecord(9, 2, "Q", 2021, 5, 99, day)
    assert list(integrity.check_minutes(minutes=[minute(1, 5, day), other])) == []


def test_a_problem_reads_subject_then_message():
    problem = integrity.Problem("Value #1 (P)", "what is wrong.")
    assert str(problem) == "Value #1 (P): what is wrong."


def test_benchmarks_outside_their_range():
    records = [
        integrity.BenchmarkRecord(1, "P", "A share", "percentage", "England", 2020, Decimal(101)),
        integrity.BenchmarkRecord(2, "P", "A count", "number", "England", 2020, Decimal("-2")),
        integrity.BenchmarkRecord(3, "P", "A count", "number", "England", 2021, Decimal("2.5")),
        integrity.BenchmarkRecord(4, "P", "A share", "percentage", "England", 2021, None),
    ]
    assert [p.text for p in integrity.check_benchmarks(benchmarks=records)] == [
        "Benchmark #1 (P): A share, England 2020/21: a percentage must be between 0 and 100, "
        "not 101.",
        "Benchmark #2 (P): A count, England 2020/21: a figure cannot be negative (-2).",
    ]


def test_a_target_out_of_range():
    record = integrity.TargetRecord(1, "P", "A share", "percentage", "higher", 2021,
                                    Decimal(150), "", "")
    assert [p.text for p in integrity.check_targets(targets=[record])] == [
        "Target #1 (P): A share, target 2021/22: a percentage must be between 0 and 100, not 150."
    ]


def test_a_bound_on_an_indicator_without_polarity_is_no_contradiction():
    record = integrity.TargetRecord(1, "P", "A share", "percentage", "none", 2021,
                                    Decimal(30), "", "<")
    assert list(integrity.check_targets(targets=[record])) == []
