"""One visibility policy (core.visibility), tested as a table: role × kind of record × surface.

Each kind of record carries a secret word; each row of CASES names the surface that could carry
it (a page, an export, the API, a calendar, search, a PDF, the person page, the tracker and its
monitoring report) and who may see it there. Every role is asked every row, both ways: the
readers named see the secret, the others get a response without it (or a 404).

The rule (see core/visibility.py): exempt items and what arises from them, and agendas not
yet published, for panel members and staff only — the public and a signed-in account with no
role see neither; draft minutes for everyone; unpublished values on no public surface for
anyone, and on the staff screens by the performance roles.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal

import pypdf
import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from core import roles
from core.visibility import (
    PUBLIC,
    Reader,
    ValueScope,
    item_withheld,
    reader_of,
    sees_draft_minutes,
    sees_exempt,
    sees_unpublished_agenda,
    sees_unpublished_values,
)
from indicators import permissions
from indicators.models import Indicator, Value
from meetings.models import AgendaItem, Meeting
from tests.factories import (
    AgendaItemFactory,
    CommentaryFactory,
    DeclarationFactory,
    IndicatorFactory,
    MeetingFactory,
    MembershipFactory,
    MinuteFactory,
    PanelFactory,
    PersonFactory,
    PublicationFactory,
    RecommendationFactory,
    RecommendationUpdateFactory,
    ResolutionFactory,
    UserFactory,
    ValueFactory,
)
from tests.meetings.conftest import at

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "signed-in", "member", "officer", "performance", "scrutiny", "admin")
CONFIDENTIAL = frozenset(ROLES) - {"anonymous", "signed-in"}
EVERYONE = frozenset(ROLES)
NOBODY: frozenset[str] = frozenset()

EXEMPT_TITLE = "ZEBRA PROPOSED PLACEMENTS CONTRACT"
EXEMPT_SUMMARY = "zebraexemptsummary"
EXEMPT_MINUTE = "zebraexemptminute"
EXEMPT_RESOLUTION = "zebraexemptresolution"
EXEMPT_RECOMMENDATION = "zebraexemptrecommendation"
EXEMPT_UPDATE = "zebraexemptupdate"
EXEMPT_DECLARATION = "zebraexemptdeclaration"
UNPUBLISHED_TITLE = "ZEBRA SCHOOL CLOSURES REVIEW"
UNPUBLISHED_SUMMARY = "zebraunpublishedsummary"
UNPUBLISHED_DECLARATION = "zebraunpublisheddeclaration"
DRAFT_MINUTE = "zebradraftminute"
UNPUBLISHED_NUMBER = "98765"
UNPUBLISHED_COMMENTARY = "zebraprovisionalcommentary"
PUBLISHED_MONTH = date(2022, 1, 1)
UNPUBLISHED_MONTH = date(2022, 2, 1)


@dataclass
class World:
    users: dict[str, object]
    panel: object
    january: Meeting  # agenda published, minutes written and not approved (draft)
    march: Meeting  # agenda not published
    chair: object
    indicator: Indicator
    recommendation: object
    unpublished_value: Value


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Every kind of record once, built for the module and rolled back at its end."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield _build()
        transaction.set_rollback(True)


def _build() -> World:
    users = {
        "anonymous": None,
        "signed-in": UserFactory(username="vis-norole"),
        "member": UserFactory(username="vis-member", groups=[roles.PANEL_MEMBER]),
        "officer": UserFactory(username="vis-officer", groups=[roles.OFFICER]),
        "performance": UserFactory(username="vis-pm", groups=[roles.PERFORMANCE_MANAGER]),
        "scrutiny": UserFactory(username="vis-sm", groups=[roles.SCRUTINY_MANAGER]),
        "admin": UserFactory(username="vis-admin", is_superuser=True, is_staff=True),
    }
    panel = PanelFactory(name="Zebra Scrutiny Panel", slug="zebra")
    chair = PersonFactory(name="Okonjo")
    MembershipFactory(panel=panel, person=chair, role="chair", start=date(2021, 5, 1))
    january = MeetingFactory(
        panel=panel, start=at(date(2022, 1, 27)), status="held",
        agenda_published=date(2022, 1, 19),
    )
    open_item = AgendaItemFactory(meeting=january, number=7, title="ZEBRA OPEN REPORT")
    exempt_item = AgendaItemFactory(
        meeting=january, number=8, title=EXEMPT_TITLE, summary=f"Report of {EXEMPT_SUMMARY}.",
        exempt=True, exempt_paragraph=3,
    )
    MinuteFactory(
        meeting=january, agenda_item=open_item, number=31, title=open_item.title,
        text=f"The Panel heard {DRAFT_MINUTE}.",
    )
    minute = MinuteFactory(
        meeting=january, agenda_item=exempt_item, number=32, title=exempt_item.title,
        text=f"The Panel discussed {EXEMPT_MINUTE}.",
    )
    resolution = ResolutionFactory(minute=minute, number=1, text=f"That {EXEMPT_RESOLUTION}.")
    DeclarationFactory(meeting=january, item=exempt_item, person=chair, detail=EXEMPT_DECLARATION)

    march = MeetingFactory(panel=panel, start=at(date(2022, 3, 24)), agenda_published=None)
    hidden = AgendaItemFactory(
        meeting=march, number=1, title=UNPUBLISHED_TITLE, summary=UNPUBLISHED_SUMMARY
    )
    DeclarationFactory(meeting=march, item=hidden, person=chair, detail=UNPUBLISHED_DECLARATION)

    owner = PersonFactory(name="Zebra Officer", kind="officer", user=users["officer"])
    indicator = IndicatorFactory(
        panel=panel, name="Zebra visits", outturn_type=Indicator.OutturnType.NUMBER, owner=owner
    )
    ValueFactory(
        indicator=indicator, month=PUBLISHED_MONTH, number=Decimal("41"),
        state=Value.State.PUBLISHED, approved_at=datetime(2022, 2, 10, tzinfo=UTC),
        published_at=datetime(2022, 2, 20, tzinfo=UTC),
    )
    unpublished = ValueFactory(
        indicator=indicator, month=UNPUBLISHED_MONTH, number=Decimal(UNPUBLISHED_NUMBER),
        state=Value.State.APPROVED, approved_at=datetime(2022, 3, 10, tzinfo=UTC),
    )
    CommentaryFactory(
        indicator=indicator, month=UNPUBLISHED_MONTH, analysis=UNPUBLISHED_COMMENTARY
    )
    PublicationFactory(
        panel=panel, month=PUBLISHED_MONTH, published_at=datetime(2022, 2, 20, tzinfo=UTC)
    )

    recommendation = RecommendationFactory(
        meeting=january, resolution=resolution, item_title=EXEMPT_TITLE,
        action_proposed=f"That {EXEMPT_RECOMMENDATION}.",
    )
    recommendation.indicators.add(indicator)
    RecommendationUpdateFactory(
        recommendation=recommendation, date=date(2022, 3, 1), action_taken=EXEMPT_UPDATE
    )
    return World(users, panel, january, march, chair, indicator, recommendation, unpublished)


def text_of(response) -> str:
    """What a reader gets: the page's text, a PDF's extracted text, a workbook's cells."""
    content_type = response.get("Content-Type", "")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if content_type == "application/pdf":
        reader = pypdf.PdfReader(io.BytesIO(body))
        return "\n".join(page.extract_text() for page in reader.pages)
    if zipfile.is_zipfile(io.BytesIO(body)):
        book = load_workbook(io.BytesIO(body), read_only=True)
        return "\n".join(
            str(cell) for sheet in book for row in sheet.iter_rows(values_only=True)
            for cell in row if cell is not None
        )
    text = body.decode()
    if content_type.startswith("text/calendar"):
        text = text.replace("\r\n ", "")  # RFC 5545 folds long lines
    return text


@dataclass(frozen=True)
class Case:
    record: str
    surface: str
    url: Callable[[World], str]
    secret: str
    readers: frozenset[str]

    @property
    def id(self) -> str:
        return f"{self.record} / {self.surface}"


def _search(word: str) -> Callable[[World], str]:
    return lambda w: f"/search/?q={word}"


def _meeting(w: World) -> str:
    return w.january.get_absolute_url()


def _march(w: World) -> str:
    return w.march.get_absolute_url()


def _person(w: World) -> str:
    return w.chair.get_absolute_url()


def _detail(w: World) -> str:
    return reverse("recommendations:detail", args=[w.recommendation.pk])


def _report(w: World, suffix: str = "") -> str:
    return reverse("recommendations:report", args=["2022-03-24"]) + suffix


def _agenda_pdf(w: World) -> str:
    return reverse("meetings:agenda-pdf", args=[w.january.pk])


def _minutes_pdf(w: World) -> str:
    return reverse("meetings:minutes-pdf", args=[w.january.pk])


def _indicator(w: World) -> str:
    return reverse("indicators:detail", args=[w.indicator.pk])


def _api(w: World) -> str:
    return reverse("api:indicator", args=[w.indicator.pk])


def _calendar(w: World) -> str:
    return reverse("meetings:calendar")


def _panel_calendar(w: World) -> str:
    return reverse("meetings:panel-calendar", args=[w.panel.slug])


def _performance(w: World, suffix: str = "") -> str:
    return reverse("panel-performance", args=[w.panel.slug]) + suffix


CASES: list[Case] = [
    # An exempt agenda item: its title is public, its content is not.
    Case("exempt item", "page", _meeting, EXEMPT_SUMMARY, CONFIDENTIAL),
    Case("exempt item title", "page", _meeting, EXEMPT_TITLE, EVERYONE),
    Case("exempt item", "PDF", _agenda_pdf, EXEMPT_SUMMARY, CONFIDENTIAL),
    Case("exempt item", "search", _search(EXEMPT_SUMMARY), "Report of", CONFIDENTIAL),
    Case("exempt item title", "iCal", _calendar, EXEMPT_TITLE, EVERYONE),
    Case("exempt item", "iCal", _panel_calendar, EXEMPT_SUMMARY, NOBODY),
    Case("exempt minute", "page", _meeting, EXEMPT_MINUTE, CONFIDENTIAL),
    Case("exempt minute", "PDF", _minutes_pdf, EXEMPT_MINUTE, CONFIDENTIAL),
    Case("exempt minute", "search", _search(EXEMPT_MINUTE), "The Panel discussed", CONFIDENTIAL),
    Case("exempt resolution", "page", _meeting, EXEMPT_RESOLUTION, CONFIDENTIAL),
    Case("exempt resolution", "PDF", _minutes_pdf, EXEMPT_RESOLUTION, CONFIDENTIAL),
    # The recommendation arising from the exempt item, and the action taken on it.
    Case("exempt recommendation", "page", _detail, EXEMPT_RECOMMENDATION, CONFIDENTIAL),
    Case("exempt recommendation", "meeting page", _meeting, EXEMPT_RECOMMENDATION, CONFIDENTIAL),
    Case("exempt recommendation", "indicator page", _indicator, EXEMPT_RECOMMENDATION,
         CONFIDENTIAL),
    Case("exempt recommendation", "tracker", lambda w: reverse("recommendations:list"),
         EXEMPT_RECOMMENDATION, CONFIDENTIAL),
    Case("exempt recommendation", "export csv",
         lambda w: reverse("recommendations:list") + "?format=csv",
         EXEMPT_RECOMMENDATION, CONFIDENTIAL),
    Case("exempt recommendation", "export xlsx",
         lambda w: reverse("recommendations:list") + "?format=xlsx",
         EXEMPT_RECOMMENDATION, CONFIDENTIAL),
    Case("exempt recommendation", "search", _search(EXEMPT_RECOMMENDATION), "That",
         CONFIDENTIAL),
    Case("exempt recommendation", "tracker report", _report, EXEMPT_RECOMMENDATION,
         CONFIDENTIAL),
    Case("exempt recommendation", "tracker report csv", lambda w: _report(w, "?format=csv"),
         EXEMPT_RECOMMENDATION, CONFIDENTIAL),
    Case("exempt update", "page", _detail, EXEMPT_UPDATE, CONFIDENTIAL),
    Case("exempt update", "export csv",
         lambda w: reverse("recommendations:list") + "?format=csv", EXEMPT_UPDATE, CONFIDENTIAL),
    Case("exempt update", "tracker report", _report, EXEMPT_UPDATE, CONFIDENTIAL),
    Case("exempt update", "tracker report xlsx", lambda w: _report(w, "?format=xlsx"),
         EXEMPT_UPDATE, CONFIDENTIAL),
    # Interests declared on the exempt item.
    Case("exempt declaration", "page", _meeting, EXEMPT_DECLARATION, CONFIDENTIAL),
    Case("exempt declaration", "person page", _person, EXEMPT_DECLARATION, CONFIDENTIAL),
    # An item of an agenda not yet published: not even its title.
    Case("unpublished agenda item", "page", _march, UNPUBLISHED_TITLE, CONFIDENTIAL),
    Case("unpublished agenda item", "page", _march, UNPUBLISHED_SUMMARY, CONFIDENTIAL),
    Case("unpublished agenda item", "PDF",
         lambda w: reverse("meetings:agenda-pdf", args=[w.march.pk]), UNPUBLISHED_SUMMARY,
         CONFIDENTIAL),
    Case("unpublished agenda item", "search", _search(UNPUBLISHED_SUMMARY), UNPUBLISHED_TITLE,
         CONFIDENTIAL),
    Case("unpublished agenda item", "iCal", _panel_calendar, "SCHOOL CLOSURES", NOBODY),
    Case("unpublished agenda item", "person page", _person, UNPUBLISHED_TITLE, CONFIDENTIAL),
    Case("unpublished agenda declaration", "page", _march, UNPUBLISHED_DECLARATION,
         CONFIDENTIAL),
    Case("unpublished agenda declaration", "person page", _person, UNPUBLISHED_DECLARATION,
         CONFIDENTIAL),
    # Draft minutes (not yet approved): published as written.
    Case("draft minutes", "page", _meeting, DRAFT_MINUTE, EVERYONE),
    Case("draft minutes", "PDF", _minutes_pdf, DRAFT_MINUTE, EVERYONE),
    Case("draft minutes", "search", _search(DRAFT_MINUTE), "The Panel heard", EVERYONE),
    # An unpublished (approved, not yet published) value and its commentary: no public surface.
    Case("unpublished value", "page", _indicator, UNPUBLISHED_COMMENTARY, NOBODY),
    Case("unpublished value", "dashboard",
         lambda w: reverse("panel-dashboard", args=[w.panel.slug]), UNPUBLISHED_NUMBER, NOBODY),
    Case("unpublished value", "catalogue", lambda w: reverse("indicators:list"),
         UNPUBLISHED_NUMBER, NOBODY),
    Case("unpublished value", "API", _api, UNPUBLISHED_NUMBER, NOBODY),
    Case("unpublished value", "API list", lambda w: reverse("api:indicators"),
         UNPUBLISHED_NUMBER, NOBODY),
    Case("unpublished value", "performance page", _performance, UNPUBLISHED_COMMENTARY, NOBODY),
    Case("unpublished value", "export csv", lambda w: _performance(w, "?format=csv"),
         UNPUBLISHED_NUMBER, NOBODY),
    Case("unpublished value", "export xlsx", lambda w: _performance(w, "?format=xlsx"),
         UNPUBLISHED_NUMBER, NOBODY),
]


def _client(w: World, role: str) -> Client:
    client = Client()
    if w.users[role] is not None:
        client.force_login(w.users[role])
    return client


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_role_sees_the_record_on_the_surface_only_if_the_policy_says_so(world, role, case):
    response = _client(world, role).get(case.url(world))
    if role in case.readers:
        assert response.status_code == 200, (role, case.id)
        assert case.secret in text_of(response), (role, case.id)
    else:
        assert response.status_code in (200, 404), (role, case.id)
        if response.status_code == 200:
            text = text_of(response)
            if case.surface == "search":
                # The search box repeats the query; the results must not.
                assert "0 results for" in text, (role, case.id)
            assert case.secret not in text, (role, case.id)


def test_the_table_covers_every_kind_of_record_and_surface():
    records = {c.record.removesuffix(" title") for c in CASES}
    assert {
        "exempt item", "exempt minute", "exempt recommendation", "exempt update",
        "exempt declaration", "unpublished agenda item", "draft minutes", "unpublished value",
    } <= records
    surfaces = {c.surface.split()[0] for c in CASES}
    assert {"page", "export", "API", "iCal", "search", "PDF", "person", "tracker"} <= surfaces


def test_the_public_sees_the_exempt_items_title_and_notice_on_the_person_page(world):
    html = Client().get(world.chair.get_absolute_url()).content.decode()
    assert f"8. {EXEMPT_TITLE}" in html
    assert "Withheld: the item is exempt" in html
    assert "An item of an agenda not yet published" in html
    assert "1. " + UNPUBLISHED_TITLE not in html


STAFF_VALUES = {"officer", "performance", "admin"}


@pytest.mark.parametrize("role", ROLES)
def test_unpublished_values_reach_the_staff_screens_by_the_performance_roles(world, role):
    user = world.users[role]
    visible = permissions.visible_values(user)
    assert (world.unpublished_value in visible) is (role in STAFF_VALUES)
    commentary = permissions.visible_commentary(user).filter(analysis=UNPUBLISHED_COMMENTARY)
    assert commentary.exists() is (role in STAFF_VALUES)


# --- The pure policy ------------------------------------------------------------------------

ROLE_SETS = {
    "anonymous": Reader(),
    "signed-in": Reader(roles=frozenset()),
    "member": Reader(roles=frozenset({roles.PANEL_MEMBER})),
    "officer": Reader(roles=frozenset({roles.OFFICER})),
    "performance": Reader(roles=frozenset({roles.PERFORMANCE_MANAGER})),
    "scrutiny": Reader(roles=frozenset({roles.SCRUTINY_MANAGER})),
    "admin": Reader(is_superuser=True, is_staff=True),
}
VALUE_SCOPES = {
    "anonymous": ValueScope.PUBLISHED,
    "signed-in": ValueScope.PUBLISHED,
    "member": ValueScope.PUBLISHED,
    "officer": ValueScope.OWN_AREAS,
    "performance": ValueScope.ALL,
    "scrutiny": ValueScope.PUBLISHED,
    "admin": ValueScope.ALL,
}


@pytest.mark.parametrize("role", ROLES)
def test_policy_for_each_role(role):
    reader = ROLE_SETS[role]
    assert reader.sees_exempt is (role in CONFIDENTIAL)
    assert reader.sees_unpublished_agenda is (role in CONFIDENTIAL)
    assert reader.sees_draft_minutes is True
    assert reader.value_scope is VALUE_SCOPES[role]


def test_a_staff_account_without_a_role_sees_exempt_items_but_published_values_only():
    assert sees_exempt(roles=(), is_staff=True)
    assert sees_unpublished_agenda(roles=(), is_staff=True)
    assert sees_unpublished_values(roles=()) is ValueScope.PUBLISHED
    assert not sees_exempt(roles=("Some other group",))
    assert sees_draft_minutes(roles=())


@pytest.mark.parametrize(
    ("exempt", "agenda_published", "public", "member"),
    [
        (False, True, False, False),
        (True, True, True, False),
        (False, False, True, False),
        (True, False, True, False),
    ],
)
def test_item_withheld(exempt, agenda_published, public, member):
    member_reader = Reader(roles=frozenset({roles.PANEL_MEMBER}))
    assert item_withheld(exempt=exempt, agenda_published=agenda_published, reader=PUBLIC) is public
    assert (
        item_withheld(exempt=exempt, agenda_published=agenda_published, reader=member_reader)
        is member
    )


def test_reader_of_a_user_asks_the_database_once_and_not_for_a_superuser(
    world, django_assert_num_queries
):
    member = UserFactory(username="vis-member-2", groups=[roles.PANEL_MEMBER])
    with django_assert_num_queries(1):
        assert reader_of(member).sees_exempt
        assert reader_of(member).value_scope is ValueScope.PUBLISHED
    admin = UserFactory(username="vis-admin-2", is_superuser=True)
    with django_assert_num_queries(0):
        assert reader_of(admin).sees_exempt
        assert reader_of(admin).value_scope is ValueScope.ALL
    assert reader_of(None) is PUBLIC
    inactive = UserFactory(username="vis-gone", groups=[roles.PANEL_MEMBER], is_active=False)
    assert not reader_of(inactive).sees_exempt


@pytest.mark.parametrize("role", ROLES)
def test_the_queryset_and_the_python_rule_agree(world, role):
    """AgendaItem.objects.visible_to (ORM) and item_withheld (Python) say the same of every item:
    open or exempt, on a published agenda or not."""
    user = world.users[role]
    reader = reader_of(user)
    items = list(AgendaItem.objects.filter(meeting__panel=world.panel))
    assert {(i.exempt, i.meeting.is_published) for i in items} >= {
        (False, True), (True, True), (False, False)
    }
    visible = set(
        AgendaItem.objects.visible_to(user).values_list("pk", flat=True)
    )
    for item in items:
        withheld = item_withheld(
            exempt=item.exempt, agenda_published=item.meeting.is_published, reader=reader
        )
        assert (item.pk in visible) is not withheld, (role, item.title)
