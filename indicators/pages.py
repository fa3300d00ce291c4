"""The parts of the indicator page that the tracker fills in (core.page_parts): the
recommendations about the indicator, the panel's questions on it, the form to ask one and
whether the reader may answer. Each part is called with indicator=, data= (the indicator's
dataset as of the month shown) and user=."""

from core.page_parts import PageParts

INDICATOR_PAGE = PageParts(
    "The indicator page",
    unfilled={"recommendations": [], "questions": [], "ask_form": None, "may_answer": False},
)
