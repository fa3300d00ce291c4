"""The names and words of the generated data set (`bench.dataset`): panels, priority areas,
indicators, comparators, agenda items, and deterministic filler text of realistic length.
"""

from __future__ import annotations

import random

PANEL_NAMES = (
    "Children and Families Scrutiny Panel",
    "Health Overview and Scrutiny Panel",
    "Housing and Communities Scrutiny Panel",
    "Place Scrutiny Panel",
    "Resources Scrutiny Panel",
)
AREA_THEMES = (
    "Effective assessment and intervention",
    "Purposeful direct contact",
    "Management support for better practice",
    "Right service at the right time",
    "Robust corporate parenting",
)
INDICATOR_STEMS = {
    "percentage": (
        "Percentage of assessments completed within 45 working days",
        "Percentage of visits within statutory timescales",
        "Percentage of re-referrals within 12 months",
        "Percentage of plans reviewed on time",
        "Percentage of cases with up-to-date supervision",
    ),
    "number": (
        "Number of contacts",
        "Number of referrals in the month",
        "Number of children on a plan at the end of the month",
        "Number of assessments completed",
        "Number of enquiries received",
    ),
    "rate": (
        "Rate of referrals per 10,000 of the under-18 population",
        "Rate of children looked after per 10,000",
        "Rate of assessments per 10,000",
    ),
}
COMPARATORS = (
    ("Southampton", "own", 10),
    ("Statistical Neighbours", "neighbours", 20),
    ("South East", "region", 30),
    ("England", "national", 40),
)
#: Meetings of a municipal year (May to April), by calendar month.
MEETING_MONTHS = (6, 7, 9, 10, 11, 12, 1, 2, 3, 4)
STANDARD_ITEMS = (
    "APOLOGIES AND CHANGES IN PANEL MEMBERSHIP (IF ANY)",
    "DISCLOSURE OF PERSONAL AND PECUNIARY INTERESTS",
    "DECLARATIONS OF SCRUTINY INTEREST",
    "DECLARATION OF PARTY POLITICAL WHIP",
    "STATEMENT FROM THE CHAIR",
    "MINUTES OF THE PREVIOUS MEETING (INCLUDING MATTERS ARISING)",
)
REPORT_TOPICS = (
    "Elective home education",
    "Self evaluation of practice",
    "Quality assurance brief",
    "Annual report of the safeguarding partnership",
    "Fostering sufficiency",
    "Care leavers' accommodation",
    "Early help offer",
    "Workforce stability",
    "Missing children",
    "Special educational needs and disabilities",
)
WORDS = (
    "the panel noted the improvement in timeliness since the move to the new case system and "
    "asked for the figures to be broken down by locality at the next meeting",
    "performance remains below the statistical neighbour average and the service has agreed a "
    "recovery plan with monthly reporting to the leadership team",
    "almost four hundred visits were held in draft at the month end, so the published figure "
    "understates the work done; the data team is clearing the backlog",
    "the increase reflects a rise in contacts from schools after the start of term, in line "
    "with the seasonal pattern of previous years",
    "managers audited a sample of cases and found the recording accurate; the shortfall is in "
    "capacity, which the recruitment campaign is addressing",
)
ACTIONS = (
    "Weekly performance clinics with team managers",
    "Recruitment of four experienced social workers",
    "Audit of a sample of cases in each locality",
    "Report back to the panel with a breakdown by locality",
    "Review of the threshold document with partners",
)


class Filler:
    """Deterministic filler text of realistic length."""

    def __init__(self, rng: random.Random):
        self.rng = rng

    def paragraph(self, sentences: int = 2) -> str:
        return " ".join(
            self.rng.choice(WORDS).capitalize() + "." for _ in range(sentences)
        )

    def actions(self, count: int = 3) -> str:
        return "\n".join(self.rng.sample(ACTIONS, count))
