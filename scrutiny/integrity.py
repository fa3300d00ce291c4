"""The integrity rules of the dataset and the tracker, free of Django.

`python manage.py check_data` loads plain records (the `*Record` tuples below) with a few
queries and passes them to the `check_*` functions, which yield one `Problem` per breach: the
object it concerns (`subject`, with its id so it can be found in the admin) and what is wrong
(`message`, from the module constants). Most of these rules are also enforced where data is
entered, and some by database constraints; this is the check after the fact, for data that
came in another way (a restored dump, a bulk load, a migration, an edit in the database).

Figures are checked with the same rules, in the same words, as on entry
(`indicators.rules.validation` and `meetings.rules` are framework-free as well).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import NamedTuple

from indicators.rules import validation
from indicators.rules.calendar import financial_year_label
from meetings.rules import municipal_year, municipal_year_label

# --- Messages -------------------------------------------------------------------------------
# Values (the range rules and future months come from indicators.rules.validation).
MSG_MONTH_NOT_FIRST = "{indicator}: the month is dated {day}, not the first of a month."
MSG_UNKNOWN_STATUS = "{indicator}, {month}: “{status}” is not a known status ({known})."
MSG_NUMBER_AND_STATUS = (
    "{indicator}, {month}: it has both a number ({value}) and a status ({status})."
)
MSG_NO_FIGURE = "{indicator}, {month}: it has neither a number nor a status."
MSG_NO_PUBLICATION = (
    "{indicator}, {month}: the value is published but the panel has no publication of {month}."
)
# Targets.
MSG_TARGET_TBC_WITH_BOUND = (
    "{indicator}, target {year}: it is TBC but has the bound “{bound}”; a bound needs a number."
)
MSG_TARGET_BOUND_POLARITY = (
    "{indicator}, target {year}: the bound “{bound}” says {says} is better, but the indicator's "
    "polarity is “{polarity}”."
)
MSG_TARGET_RANGE = "{indicator}, target {year}: {problem}"
# Benchmarks.
MSG_BENCHMARK_RANGE = "{indicator}, {comparator} {year}: {problem}"
# Commentary.
MSG_COMMENTARY_NO_VALUES = (
    "commentary for {month} on {about}, but {whose} for {month}."
)
# Recommendations.
MSG_ACCEPTED_BEFORE_MADE = (
    "accepted as complete at the meeting of {left}, not after the meeting of {made} that made "
    "it."
)
MSG_REJECTION_BEFORE_MADE = (
    "its rejection was reported to the meeting of {left}, not after the meeting of {made} that "
    "made it."
)
MSG_REJECTION_NOT_REJECTED = (
    "its rejection was reported to the meeting of {left}, but its status is “{status}”, not a "
    "rejected status."
)
MSG_ACCEPTED_NOT_COMPLETE = (
    "accepted as complete at the meeting of {left}, but its status is “{status}”, not a "
    "complete status."
)
MSG_UPDATE_BEFORE_MEETING = (
    "the update dated {date} is before the meeting of {made} that made the recommendation."
)
# Minutes.
MSG_MINUTE_DUPLICATE = "minute {number} is used {count} times ({meetings})."
MSG_MINUTE_GAP = "{missing} missing between minutes {before} and {after}."
MSG_MINUTE_ORDER = (
    "minutes of the meeting of {later} ({later_numbers}) are numbered before those of the "
    "earlier meeting of {earlier} ({earlier_numbers})."
)
MSG_MINUTE_WRONG_YEAR = (
    "minute {number} is filed under the municipal year {filed}, but its meeting of {day} is in "
    "{actual}."
)
# Exempt items.
MSG_EXEMPT_NO_PARAGRAPH = (
    "exempt without a paragraph of Schedule 12A (1–7){given}; the public would not be told why "
    "it is exempt."
)

#: What a bound says is better.
_BOUND_SAYS = {"<": "lower", "<=": "lower", ">": "higher", ">=": "higher"}
POLARITY_LABELS = {"higher": "Higher is better", "lower": "Lower is better", "none": "No polarity"}


@dataclass(frozen=True, slots=True)
class Problem:
    """One breach: `subject` names the object (with its id), `message` what is wrong."""

    subject: str
    message: str

    @property
    def text(self) -> str:
        return f"{self.subject}: {self.message}"

    def __str__(self) -> str:
        return self.text


def long_date(day: date) -> str:
    """ "31 March 2022": how problems name a day."""
    return f"{day.day} {day:%B %Y}"


# --- Records: what check_data loads ----------------------------------------------------------


class ValueRecord(NamedTuple):
    pk: int
    panel_id: int
    panel: str
    indicator: str
    outturn_type: str
    month: date
    number: Decimal | None
    status: str
    state: str


class TargetRecord(NamedTuple):
    pk: int
    panel: str
    indicator: str
    outturn_type: str
    polarity: str
    year: int
    number: Decimal | None
    status: str
    bound: str


class BenchmarkRecord(NamedTuple):
    pk: int
    panel: str
    indicator: str
    outturn_type: str
    comparator: str
    year: int
    number: Decimal | None


class CommentaryRecord(NamedTuple):
    pk: int
    panel: str
    month: date
    indicator_id: int | None
    indicator: str
    area_id: int | None
    area: str


class RecommendationRecord(NamedTuple):
    pk: int
    panel: str
    item_title: str
    number: int
    meeting_date: date
    status: str
    is_complete: bool
    is_rejected: bool
    accepted_on: date | None
    rejection_reported_on: date | None


class UpdateRecord(NamedTuple):
    pk: int
    recommendation: str
    meeting_date: date
    date: date


class MinuteRecord(NamedTuple):
    pk: int
    panel_id: int
    panel: str
    municipal_year: int
    number: int
    meeting_id: int
    meeting_day: date


class ExemptRecord(NamedTuple):
    pk: int
    kind: str  # "Agenda item" or "Paper"
    label: str  # e.g. “7. Exempt report” of the meeting of 31 March 2022 (panel)
    paragraph: int | None


# --- Subjects ---------------------------------------------------------------------------------


def value_subject(value: ValueRecord) -> str:
    return f"Value #{value.pk} ({value.panel})"


def recommendation_subject(rec: RecommendationRecord) -> str:
    return (
        f"Recommendation #{rec.pk}, {rec.number}) of “{rec.item_title}”, "
        f"{long_date(rec.meeting_date)} ({rec.panel})"
    )


# --- Rules ----------------------------------------------------------------------------------


def check_values(
    *,
    values: Iterable[ValueRecord],
    today: date,
    publications: set[tuple[int, date]],
    known_statuses: Mapping[str, str],
) -> Iterator[Problem]:
    """Every monthly value, whatever its state:

    - its month is the first of a month and not in the future (the current month is allowed,
      as on entry);
    - it is a number or a known status (TBC, N/A, Local, not reported), never both, never
      neither;
    - its number fits its outturn type: a percentage lies in 0–100, a count is whole and not
      negative, a rate is not negative (the entry rules of `indicators.rules.validation`);
    - a published value's month has a `Publication` of its panel: the month was released.

    `known_statuses` maps each status code to its label ("" → "Value" is the number itself);
    `publications` holds (panel id, month) pairs.
    """
    for value in values:
        subject = value_subject(value)
        label = validation.month_label(value.month.replace(day=1))
        if value.month.day != 1:
            yield Problem(
                subject,
                MSG_MONTH_NOT_FIRST.format(indicator=value.indicator, day=long_date(value.month)),
            )
        for issue in validation.check_month(
            indicator=value.indicator, month=value.month.replace(day=1), today=today
        ):
            yield Problem(subject, issue.message)
        ctx = {"indicator": value.indicator, "month": label}
        if value.status not in known_statuses:
            known = ", ".join(name for code, name in known_statuses.items() if code)
            yield Problem(
                subject, MSG_UNKNOWN_STATUS.format(**ctx, status=value.status, known=known)
            )
        elif value.number is not None and value.status:
            yield Problem(
                subject,
                MSG_NUMBER_AND_STATUS.format(
                    **ctx,
                    value=validation.show(value.number),
                    status=known_statuses[value.status],
                ),
            )
        elif value.number is None and not value.status:
            yield Problem(subject, MSG_NO_FIGURE.format(**ctx))
        if value.number is not None:
            for issue in validation.check_number(
                indicator=value.indicator,
                outturn_type=value.outturn_type,
                month=value.month.replace(day=1),
                number=Decimal(value.number),
            ):
                yield Problem(subject, issue.message)
        if value.state == "published" and (value.panel_id, value.month) not in publications:
            yield Problem(subject, MSG_NO_PUBLICATION.format(**ctx))


def _range_problem(*, outturn_type: str, number: Decimal) -> str | None:
    # The entry rules of a figure, worded without a month: targets and benchmarks are annual.
    issues = validation.check_number(
        indicator="", outturn_type=outturn_type, month=date(2000, 1, 1), number=Decimal(number)
    )
    if not issues:
        return None
    # "<indicator>, <month>: <what>" → "<what>"
    return issues[0].message.split(": ", 1)[1]


def check_targets(*, targets: Iterable[TargetRecord]) -> Iterator[Problem]:
    """Every annual target:

    - a TBC target has no bound (a bound such as "<36%" needs its number);
    - a bound agrees with the indicator's polarity: "<" and "<=" say lower is better, ">" and
      ">=" higher; an indicator whose polarity says the opposite contradicts its own target
      (an indicator with no polarity may take its direction from the bound);
    - a target's number fits the outturn type as a value would (0–100 for a percentage, not
      negative, whole for a count).
    """
    for target in targets:
        subject = f"Target #{target.pk} ({target.panel})"
        year = financial_year_label(year=target.year)
        ctx = {"indicator": target.indicator, "year": year}
        if target.number is None and target.bound:
            yield Problem(subject, MSG_TARGET_TBC_WITH_BOUND.format(**ctx, bound=target.bound))
        says = _BOUND_SAYS.get(target.bound)
        if says and target.polarity in ("higher", "lower") and target.polarity != says:
            yield Problem(
                subject,
                MSG_TARGET_BOUND_POLARITY.format(
                    **ctx,
                    bound=target.bound,
                    says=says,
                    polarity=POLARITY_LABELS.get(target.polarity, target.polarity),
                ),
            )
        if target.number is not None:
            problem = _range_problem(outturn_type=target.outturn_type, number=target.number)
            if problem:
                yield Problem(subject, MSG_TARGET_RANGE.format(**ctx, problem=problem))


def check_benchmarks(*, benchmarks: Iterable[BenchmarkRecord]) -> Iterator[Problem]:
    """Every benchmark figure fits its indicator's outturn type: a percentage lies in 0–100, a
    count or a rate is not negative. (A comparator's count may be an average, so it need not
    be whole.)"""
    for benchmark in benchmarks:
        if benchmark.number is None:
            continue
        outturn = "rate" if benchmark.outturn_type == "number" else benchmark.outturn_type
        problem = _range_problem(outturn_type=outturn, number=benchmark.number)
        if problem:
            yield Problem(
                f"Benchmark #{benchmark.pk} ({benchmark.panel})",
                MSG_BENCHMARK_RANGE.format(
                    indicator=benchmark.indicator,
                    comparator=benchmark.comparator,
                    year=financial_year_label(year=benchmark.year),
                    problem=problem.replace("a rate", "a figure"),
                ),
            )


def check_commentary(
    *,
    commentary: Iterable[CommentaryRecord],
    indicator_months: Mapping[int, set[date]],
    area_months: Mapping[int, set[date]],
) -> Iterator[Problem]:
    """Commentary belongs to a month of data: an indicator's commentary needs a value of that
    indicator for its month, and a priority area's commentary a value of at least one of the
    area's indicators (its own or placed in its table) for its month. A value with a status
    (TBC, N/A …) counts: it is data.

    `indicator_months` maps an indicator id to the months it has values for; `area_months` an
    area id to the months any of its indicators has values for.
    """
    for item in commentary:
        month = validation.month_label(item.month)
        subject = f"Commentary #{item.pk} ({item.panel})"
        if item.indicator_id is not None:
            if item.month not in indicator_months.get(item.indicator_id, ()):
                about = f"the indicator “{item.indicator}”"
                whose = "it has no value"
            else:
                continue
        elif item.month not in area_months.get(item.area_id, ()):
            about = f"the priority area “{item.area}”"
            whose = "none of its indicators has a value"
        else:
            continue
        yield Problem(
            subject, MSG_COMMENTARY_NO_VALUES.format(month=month, about=about, whose=whose)
        )


def check_recommendations(*, recommendations: Iterable[RecommendationRecord]) -> Iterator[Problem]:
    """The tracker's rule, after the fact:

    - a recommendation is accepted as complete, or its rejection reported, at a meeting after
      the one that made it (a meeting does not decide on its own recommendations);
    - a recommendation accepted as complete has a complete status;
    - a recommendation whose rejection was reported has a rejected status.
    """
    for rec in recommendations:
        subject = recommendation_subject(rec)
        made = long_date(rec.meeting_date)
        if rec.accepted_on is not None:
            left = long_date(rec.accepted_on)
            if rec.accepted_on <= rec.meeting_date:
                yield Problem(subject, MSG_ACCEPTED_BEFORE_MADE.format(left=left, made=made))
            if not rec.is_complete:
                yield Problem(
                    subject, MSG_ACCEPTED_NOT_COMPLETE.format(left=left, status=rec.status)
                )
        if rec.rejection_reported_on is not None:
            left = long_date(rec.rejection_reported_on)
            if rec.rejection_reported_on <= rec.meeting_date:
                yield Problem(subject, MSG_REJECTION_BEFORE_MADE.format(left=left, made=made))
            if not rec.is_rejected:
                yield Problem(
                    subject, MSG_REJECTION_NOT_REJECTED.format(left=left, status=rec.status)
                )


def check_updates(*, updates: Iterable[UpdateRecord]) -> Iterator[Problem]:
    """An update ("Action taken") is dated on or after the meeting that made its recommendation:
    nothing can be done about a recommendation before it is made."""
    for update in updates:
        if update.date < update.meeting_date:
            yield Problem(
                f"Update #{update.pk} of {update.recommendation}",
                MSG_UPDATE_BEFORE_MEETING.format(
                    date=long_date(update.date), made=long_date(update.meeting_date)
                ),
            )


def _numbers(numbers: Iterable[int]) -> str:
    ordered = sorted(set(numbers))
    if len(ordered) > 2 and ordered[-1] - ordered[0] == len(ordered) - 1:
        return f"{ordered[0]}–{ordered[-1]}"
    return ", ".join(map(str, ordered))


def _missing(first: int, last: int) -> str:
    if first == last:
        return f"minute {first} is"
    if last == first + 1:
        return f"minutes {first} and {last} are"
    return f"minutes {first}–{last} are"


def check_minutes(*, minutes: Iterable[MinuteRecord]) -> Iterator[Problem]:
    """Minutes are numbered through a panel's municipal year (23, 24, 25 …), the year (May to
    April) of their meeting's date:

    - each minute is filed under the municipal year of its meeting's date;
    - no number is used twice in a panel's year (the database refuses a number used twice
      under the same filed year, so a duplicate shows where a minute is filed under the wrong
      year);
    - no number is skipped between the first and the last minute of the year recorded (the
      year may start mid-run: earlier meetings' minutes need not be in the system);
    - a later meeting's minutes are numbered after an earlier meeting's.
    """
    by_year: dict[tuple[int, int], list[MinuteRecord]] = defaultdict(list)
    for minute in minutes:
        actual = municipal_year(on=minute.meeting_day)
        if actual != minute.municipal_year:
            yield Problem(
                f"Minute #{minute.pk} ({minute.panel})",
                MSG_MINUTE_WRONG_YEAR.format(
                    number=minute.number,
                    filed=municipal_year_label(year=minute.municipal_year),
                    day=long_date(minute.meeting_day),
                    actual=municipal_year_label(year=actual),
                ),
            )
        by_year[(minute.panel_id, actual)].append(minute)
    for (_, year), rows in sorted(by_year.items()):
        subject = f"Minutes of {rows[0].panel}, {municipal_year_label(year=year)}"
        by_number: dict[int, list[MinuteRecord]] = defaultdict(list)
        for row in rows:
            by_number[row.number].append(row)
        for number, same in sorted(by_number.items()):
            if len(same) > 1:
                meetings = ", ".join(
                    f"#{m.pk} of {long_date(m.meeting_day)}"
                    for m in sorted(same, key=lambda m: (m.meeting_day, m.pk))
                )
                yield Problem(
                    subject,
                    MSG_MINUTE_DUPLICATE.format(number=number, count=len(same), meetings=meetings),
                )
        numbers = sorted(by_number)
        for before, after in zip(numbers, numbers[1:], strict=False):
            if after > before + 1:
                yield Problem(
                    subject,
                    MSG_MINUTE_GAP.format(
                        missing=_missing(before + 1, after - 1), before=before, after=after
                    ),
                )
        meetings: dict[tuple[date, int], list[int]] = defaultdict(list)
        for row in rows:
            meetings[(row.meeting_day, row.meeting_id)].append(row.number)
        ordered = sorted(meetings.items())
        for (earlier, earlier_numbers), (later, later_numbers) in zip(
            ordered, ordered[1:], strict=False
        ):
            if min(later_numbers) < max(earlier_numbers):
                yield Problem(
                    subject,
                    MSG_MINUTE_ORDER.format(
                        later=long_date(later[0]),
                        later_numbers=_numbers(later_numbers),
                        earlier=long_date(earlier[0]),
                        earlier_numbers=_numbers(earlier_numbers),
                    ),
                )


def check_exempt(*, items: Iterable[ExemptRecord]) -> Iterator[Problem]:
    """An exempt agenda item or paper names its paragraph (1–7) of Schedule 12A to the Local
    Government Act 1972: the reason the public is excluded. `items` are the exempt ones."""
    for item in items:
        if item.paragraph is None or not 1 <= item.paragraph <= 7:
            given = "" if item.paragraph is None else f" (it gives {item.paragraph})"
            yield Problem(
                f"{item.kind} #{item.pk}, {item.label}",
                MSG_EXEMPT_NO_PARAGRAPH.format(given=given),
            )
