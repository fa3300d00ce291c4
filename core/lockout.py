"""django-axes, set up for the load balancer: the address is the one our trusted proxies saw
(`TRUSTED_PROXY_COUNT`), a user is locked out at one address only (`AXES_FAILURE_LIMIT`), and an
address is locked out for every username once it has tried too many (`AXES_ADDRESS_FAILURE_LIMIT`).
The rules are in `core.throttling`.
"""

from __future__ import annotations

from axes.handlers.database import AxesDatabaseHandler
from django.conf import settings
from django.db.models import Sum

from .throttling import client_address, failures_toward_lockout

#: AXES_LOCKOUT_PARAMETERS must name the two counts in this order.
LOCKOUT_PARAMETERS = [["username", "ip_address"], ["ip_address"]]


def request_address(request) -> str:
    """AXES_CLIENT_IP_CALLABLE: the address of the person behind the request."""
    return client_address(
        remote_addr=request.META.get("REMOTE_ADDR", ""),
        forwarded_for=request.META.get("HTTP_X_FORWARDED_FOR", ""),
        trusted_proxies=settings.TRUSTED_PROXY_COUNT,
    )


class UserAndAddressHandler(AxesDatabaseHandler):
    """Each lockout parameter set with its own limit (axes has one limit for all of them)."""

    def get_failures(self, request, credentials: dict | None = None) -> int:
        for_user, at_address = (
            attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        )
        return failures_toward_lockout(
            at_address_for_user=for_user,
            at_address=at_address,
            user_limit=settings.AXES_FAILURE_LIMIT,
            address_limit=settings.AXES_ADDRESS_FAILURE_LIMIT,
        )

    def reset_user_attempts(self, request, credentials: dict | None = None) -> int:
        # Signing in clears that user's failures at the address, not the address's: one good
        # password must not clear the count of a spray of guesses at other usernames.
        for_user = self.filter_user_attempts(request, credentials)[0]
        count, _ = for_user.delete()
        return count
