"""factory_boy factories for the project's models, general enough for any test to reuse, one
module per app from the bottom up (core's users, meetings, indicators, recommendations) and all
importable from here: `from tests.factories import IndicatorFactory`.

Each factory builds a valid row with the fewest related rows it needs; pass fields to override.
`create()` saves without `full_clean()`, so tests of database constraints can build impossible
rows on purpose. The seed demo is not built here: it stays a fixture (`demo`, `seed_demo`).
"""

from .core import PASSWORD, UserFactory
from .indicators import (
    AreaIndicatorFactory,
    BenchmarkValueFactory,
    CommentaryFactory,
    ComparatorFactory,
    IndicatorFactory,
    PriorityAreaFactory,
    PublicationFactory,
    SpcBreakFactory,
    TargetFactory,
    ValueFactory,
)
from .meetings import (
    AgendaDocumentFactory,
    AgendaItemFactory,
    AttendanceFactory,
    DeclarationFactory,
    MeetingFactory,
    MembershipFactory,
    MinuteFactory,
    PanelContactFactory,
    PanelFactory,
    PersonFactory,
    ResolutionFactory,
    WorkProgrammeItemFactory,
)
from .recommendations import (
    QuestionFactory,
    RecommendationFactory,
    RecommendationUpdateFactory,
)

__all__ = [
    "PASSWORD",
    "AgendaDocumentFactory",
    "AgendaItemFactory",
    "AreaIndicatorFactory",
    "AttendanceFactory",
    "BenchmarkValueFactory",
    "CommentaryFactory",
    "ComparatorFactory",
    "DeclarationFactory",
    "IndicatorFactory",
    "MeetingFactory",
    "MembershipFactory",
    "MinuteFactory",
    "PanelContactFactory",
    "PanelFactory",
    "PersonFactory",
    "PriorityAreaFactory",
    "PublicationFactory",
    "QuestionFactory",
    "RecommendationFactory",
    "RecommendationUpdateFactory",
    "ResolutionFactory",
    "SpcBreakFactory",
    "TargetFactory",
    "UserFactory",
    "ValueFactory",
    "WorkProgrammeItemFactory",
]
