import sys

from django.db import connection
from django.db.utils import DatabaseError, InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseServerError, JsonResponse
from django.template import loader

# Seconds a browser or load balancer is asked to wait before trying again while the
# database is unreachable; restarts and fail-overs take about this long.
RETRY_AFTER_SECONDS = 30


def healthz(request):
    """200 when the database answers a query, 503 when it does not (for load balancers)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        response = JsonResponse({"status": "unavailable", "database": "down"}, status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return JsonResponse({"status": "ok", "database": "up"})


def server_error(request):
    """Django's 500 handler, except that a database that cannot be reached (a connection
    error, not a failed query such as an integrity error) answers 503 with
    Retry-After: the app is not broken, and it recovers by itself once the database is back.
    Both pages render without a request context, since nothing may touch the database."""
    if isinstance(sys.exc_info()[1], OperationalError | InterfaceError):
        response = HttpResponse(loader.render_to_string("503.html"), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return HttpResponseServerError(loader.render_to_string("500.html"))
