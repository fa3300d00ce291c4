"""Shared set-up of django-tables2 tables."""

from django_tables2 import RequestConfig

from . import params

MAX_PER_PAGE = 500


def configure_table(request, table, *, per_page: int) -> None:
    """Sort and paginate `table` from the request, but with a page size the request may only
    choose between 1 and MAX_PER_PAGE: django-tables2 takes any integer, and a negative one
    raises a server error."""
    name = table.prefixed_per_page_field
    asked = request.GET.get(name, "")
    if asked and params.parse_int(asked, minimum=1, maximum=MAX_PER_PAGE) is None:
        query = request.GET.copy()
        query[name] = str(per_page)
        request.GET = query
    RequestConfig(request, paginate={"per_page": per_page}).configure(table)
