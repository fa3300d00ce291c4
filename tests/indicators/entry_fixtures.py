"""A small dataset for the entry, import and publishing tests: one panel, two priority areas,
indicators of each outturn type, and users in each role (the roles' groups exist after migrate).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.contrib.auth.models import User

from core import roles
from indicators.models import Indicator, PriorityArea
from meetings.models import Panel, Person
from tests.factories import (
    PASSWORD,
    IndicatorFactory,
    PanelFactory,
    PersonFactory,
    PriorityAreaFactory,
    UserFactory,
    ValueFactory,
)

__all__ = ["PASSWORD", "Dataset", "add_values", "make_dataset", "make_user"]


def make_user(username: str, *, group: str | None = None, superuser: bool = False) -> User:
    """A staff user in the role `group`, with the password `PASSWORD`."""
    return UserFactory(
        username=username,
        is_staff=True,
        is_superuser=superuser,
        role=group,
    )


@dataclass
class Dataset:
    panel: Panel
    area: PriorityArea
    other_area: PriorityArea
    rereferrals: Indicator  # percentage, owned by the officer
    contacts: Indicator  # number, same area, owned by someone else
    referral_rate: Indicator  # rate, cumulative YTD, same area
    cla: Indicator  # number, the other area, owned by someone else
    officer: User
    other_officer: User
    performance: User
    member: User


def make_dataset() -> Dataset:
    panel = PanelFactory(name="Children and Families Scrutiny Panel", slug="cf")
    area = PriorityAreaFactory(panel=panel, name="Right service at the right time", order=1)
    other = PriorityAreaFactory(panel=panel, name="Robust corporate parenting", order=2)
    officer = make_user("officer", group=roles.OFFICER)
    other_officer = make_user("otherofficer", group=roles.OFFICER)
    me = PersonFactory(kind=Person.Kind.OFFICER, name="Olive Officer", user=officer)
    them = PersonFactory(kind=Person.Kind.OFFICER, name="Tom Other", user=other_officer)
    common = {"panel": panel, "measure_type": "snapshot", "polarity": "none"}
    rereferrals = IndicatorFactory(
        **{**common, "polarity": "lower"},
        priority_area=area,
        name="Percentage of re-referrals within 12 months",
        outturn_type="percentage",
        owner=me,
        order=1,
    )
    contacts = IndicatorFactory(
        **common, priority_area=area, name="Number of contacts", outturn_type="number", order=2
    )
    referral_rate = IndicatorFactory(
        **{**common, "measure_type": "cumulative_ytd"},
        priority_area=area,
        name="Rates of referrals per 10,000 of Under 18 Population",
        outturn_type="rate",
        order=3,
    )
    cla = IndicatorFactory(
        **common,
        priority_area=other,
        name="Number of CLA at the end of the month",
        outturn_type="number",
        owner=them,
        order=4,
    )
    return Dataset(
        panel=panel,
        area=area,
        other_area=other,
        rereferrals=rereferrals,
        contacts=contacts,
        referral_rate=referral_rate,
        cla=cla,
        officer=officer,
        other_officer=other_officer,
        performance=make_user("performance", group=roles.PERFORMANCE_MANAGER),
        member=make_user("member", group=roles.PANEL_MEMBER),
    )


def add_values(indicator: Indicator, figures: list, *, start=date(2021, 4, 1), state="published"):
    """Monthly values from `start`; a str figure is a status."""
    values = []
    for i, figure in enumerate(figures):
        month = date(start.year + (start.month - 1 + i) // 12, (start.month - 1 + i) % 12 + 1, 1)
        is_status = isinstance(figure, str)
        values.append(
            ValueFactory(
                indicator=indicator,
                month=month,
                number=None if is_status else Decimal(str(figure)),
                status=figure if is_status else "",
                state=state,
                published_at="2022-03-01T12:00Z" if state == "published" else None,
            )
        )
    return values
