"""Test data for the dataset pages, exports and API: more rows of the same kinds, to show that
query counts do not grow with the data."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import transaction

from core import roles
from indicators.models import (
    AreaIndicator,
    BenchmarkValue,
    Commentary,
    Comparator,
    Indicator,
    PriorityArea,
    Target,
    Value,
)
from indicators.rules.calendar import add_months, financial_year
from meetings.models import Panel
from tests.factories import (
    AreaIndicatorFactory,
    BenchmarkValueFactory,
    CommentaryFactory,
    ComparatorFactory,
    IndicatorFactory,
    PriorityAreaFactory,
    TargetFactory,
    UserFactory,
    ValueFactory,
)

PUBLISHED_AT = datetime(2022, 3, 23, 9, 0, tzinfo=UTC)
FEB_22 = date(2022, 2, 1)
MAR_22 = date(2022, 3, 1)


def grow_dataset(panel: Panel, *, indicators: int = 20, months: int = 24, end: date = FEB_22):
    """Add a priority area with `indicators` published indicators of `months` months each
    (ending with `end`), with targets, benchmarks of every comparator and commentary."""
    area = PriorityAreaFactory(panel=panel, name="Extra area", order=99)
    made = [
        IndicatorFactory(
            panel=panel,
            priority_area=area,
            name=f"Extra indicator {i}",
            ref=f"X{i}",
            order=1000 + i,
            polarity=Indicator.Polarity.LOWER if i % 2 else Indicator.Polarity.HIGHER,
        )
        for i in range(indicators)
    ]
    # The factories build the rows; they are saved in bulk, as there are hundreds.
    AreaIndicator.objects.bulk_create(
        AreaIndicatorFactory.build(priority_area=area, indicator=ind, order=i)
        for i, ind in enumerate(made)
    )
    month_list = [add_months(month=end, count=-k) for k in range(months)][::-1]
    Value.objects.bulk_create(
        ValueFactory.build(
            indicator=ind,
            month=month,
            number=Decimal(40 + (i * 7 + k * 3) % 30),
            state=Value.State.PUBLISHED,
            published_at=PUBLISHED_AT,
        )
        for i, ind in enumerate(made)
        for k, month in enumerate(month_list)
    )
    years = sorted({financial_year(month=m) for m in month_list})
    Target.objects.bulk_create(
        TargetFactory.build(indicator=ind, year=year, number=Decimal(55))
        for ind in made
        for year in years
    )
    comparators = list(Comparator.objects.all()) or [
        ComparatorFactory(name="England", kind=Comparator.Kind.NATIONAL, order=40)
    ]
    BenchmarkValue.objects.bulk_create(
        BenchmarkValueFactory.build(indicator=ind, comparator=c, year=year, number=Decimal(50))
        for ind in made
        for c in comparators
        for year in years
    )
    Commentary.objects.bulk_create(
        CommentaryFactory.build(
            indicator=ind, month=end, analysis=f"Extra analysis {ind.pk}", state="published"
        )
        for ind in made
    )
    CommentaryFactory(
        priority_area=area,
        indicator=None,
        month=end,
        analysis="Extra area analysis",
        state="published",
    )
    return area, made


def area_named(panel: Panel, name: str) -> PriorityArea:
    return PriorityArea.objects.get(panel=panel, name=name)


AREA_AHEAD = "Purposeful Direct Contact"


def publish_march_for_one_area(*, slug: str = "children-and-families") -> list[Indicator]:
    """On the seed demo, a performance manager approves and publishes March 2022 for one
    priority area only (`AREA_AHEAD`), with its analysis; the other areas' indicators stay at
    February. Returns the area's indicators."""
    from indicators import services

    panel = Panel.objects.get(slug=slug)
    area = area_named(panel, AREA_AHEAD)
    indicators = list(area.indicators.all())
    Value.objects.bulk_create(
        ValueFactory.build(
            indicator=ind, month=MAR_22, number=Decimal(7), state=Value.State.APPROVED
        )
        for ind in indicators
    )
    CommentaryFactory(
        priority_area=area,
        indicator=None,
        month=MAR_22,
        analysis="March words.",
    )
    manager = UserFactory(
        username="publisher-of-march",
        email="",
        password="x-pass-123",
        role=roles.PERFORMANCE_MANAGER,
    )
    services.publish_month(user=manager, panel=panel, month=MAR_22)
    return indicators


@pytest.fixture(scope="module")
def seed_demo(django_db_setup, django_db_blocker):
    """The seed demo (`load_demo`), loaded once for a whole test module inside a transaction
    that is rolled back at the module's end. Every test still runs in its own savepoint within
    it (through `db`), so what a test changes is gone before the next one. Loading the demo
    takes seconds: this keeps the dataset tests fast. Use with
    `pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seed_demo")]`."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", verbosity=0)
        yield
        transaction.set_rollback(True)


# --- The seed's tables, read independently of the demo loader --------------------------------

SEED_FILE = Path(settings.SEEDS_DIR) / "agenda-pack-2022-03-31.txt"


@dataclass(frozen=True)
class SeedTable:
    header: list[str]
    rows: list[list[str]]  # cells as printed: name, outturn type, months…, target, benchmarks


def seed_tables() -> list[SeedTable]:
    """The five "What the data tells us" tables of the seed's performance appendix, each row
    padded to the header's width with blank cells (the seed's last row stops short)."""
    lines = SEED_FILE.read_text(encoding="utf-8").splitlines()
    tables = []
    for i, line in enumerate(lines):
        if line.strip() != "What the data tells us":
            continue
        j = i + 1
        while not lines[j].strip():
            j += 1
        header = lines[j].split("\t")
        rows = []
        for row_line in lines[j + 1 :]:
            if not row_line.strip():
                break
            cells = row_line.split("\t")
            rows.append(cells + [""] * (len(header) - len(cells)))
        tables.append(SeedTable(header, rows))
    return tables


def first_rows() -> dict[str, list[str]]:
    """Each indicator's row at its first appearance (the demo keeps the first of repeats)."""
    found: dict[str, list[str]] = {}
    for table in seed_tables():
        for row in table.rows:
            found.setdefault(row[0], row)
    return found
