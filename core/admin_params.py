"""The admin's changelists read their date hierarchy (?month__year=2021&month__month=4) through
`core.params`."""

from __future__ import annotations

import re

from . import params

ADMIN_PREFIX = "/admin/"
_DATE_PART = re.compile(r"^(?P<field>\w+?)__(?:year|month|day)$")


class AdminDateHierarchyMiddleware:
    """A date-hierarchy parameter of an admin list that is not a number in its range
    (?month__year=999…9) is dropped, so the list shows every date, as for no parameter.

    Django's admin turns those parameters into a date and refuses a bad one, but a year of
    many digits overflows it instead (a server error). Middleware rather than a ModelAdmin
    mixin, so that the admins of installed apps (django-axes) are covered too."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith(ADMIN_PREFIX) and request.GET:
            fields = {m["field"] for key in request.GET if (m := _DATE_PART.match(key))}
            unusable = [
                name
                for field in fields
                for name in params.unusable_date_parts(request.GET, field=field)
            ]
            if unusable:
                query = request.GET.copy()
                for name in unusable:
                    query.pop(name)
                request.GET = query
        return self.get_response(request)
