"""Fixtures of the tracker's tests: a small tracker like the seed's, and users in each role."""

from datetime import date

import pytest

from recommendations.models import Recommendation

from .factories import (
    ROLES,
    RecommendationFactory,
    UpdateFactory,
    meeting_on,
    status,
    the_panel,
    user_with_role,
)

MARCH = date(2022, 3, 31)

#: (date, title, number, proposed, taken, status slug) — as in the seed's tracker of 31 March 2022.
ROWS = [
    (date(2021, 6, 17), "Ofsted Focused Letter", 1, "That the Cabinet Member lobbies.",
     "The Cabinet Member has received a briefing.", "partially-complete"),
    (date(2022, 1, 27), "SSCP Annual Report", 1, "That the Panel are provided with details.",
     "Confidential information was circulated to the Panel on 18/03/22.", "complete"),
    (date(2022, 1, 27), "Quality Assurance Brief", 1, "That the Scrutiny Manager liaises.",
     "A meeting has taken place. Dates are in the process of being scheduled.", "in-train"),
    (date(2022, 1, 27), "Quality Assurance Brief", 2, "That the self-assessment is considered.",
     "On agenda for March 2022 meeting.", "complete"),
    (date(2022, 1, 27), "Quality Assurance Brief", 3, "That the Workforce Academy is considered.",
     "Presentation scheduled for 24 November 2022 Panel meeting.",
     "not-complete-within-timescale"),
]


@pytest.fixture
def panel(db):
    return the_panel()


@pytest.fixture
def march_meeting(panel):
    return meeting_on(MARCH, panel)


@pytest.fixture
def tracker(panel, march_meeting) -> list[Recommendation]:
    """Five recommendations like the seed's, each with one update reported to 31 March 2022."""
    made = []
    for day, title, number, proposed, taken, slug in ROWS:
        rec = RecommendationFactory(
            panel=panel,
            meeting=meeting_on(day, panel),
            meeting_date=day,
            item_title=title,
            number=number,
            action_proposed=proposed,
            status=status(slug),
        )
        UpdateFactory(
            recommendation=rec,
            date=date(2022, 3, 23),
            action_taken=taken,
            status=status(slug),
            reported_to=march_meeting,
        )
        made.append(rec)
    return made


@pytest.fixture
def users(db):
    """One user per role, plus one with no role; all with the same password."""
    made = {name: user_with_role(name, role) for name, role in ROLES.items()}
    made["nobody"] = user_with_role("nobody", None)
    return made
