"""The parts of the meeting page that the tracker fills in (core.page_parts): the
recommendations arising from the meeting and, when it has a performance item, the panel's
questions on the indicators. Each part is called with meeting= and user=."""

from core.page_parts import PageParts

MEETING_PAGE = PageParts("The meeting page", unfilled={"recommendations": [], "questions": None})
