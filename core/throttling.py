"""Who is signing in from where, and when wrong passwords lock them out. Framework-free: the
login throttle (`core.lockout`, for django-axes) calls these with plain values.

Behind the load balancer every request arrives from the balancer's own address; the address
the person is really at is the one the balancer (and any proxy in front of it) wrote into
`X-Forwarded-For`. Only the entries our own proxies wrote can be trusted: anything further left
was sent by the browser and may be made up.
"""

from __future__ import annotations

import ipaddress


def client_address(*, remote_addr: str, forwarded_for: str, trusted_proxies: int) -> str:
    """The address a person signs in from. With no trusted proxy in front of the app it is the
    connection's own address. With N trusted proxies, each of which appends the address it was
    reached from to `X-Forwarded-For`, it is the N-th entry from the right; a request carrying
    fewer entries (or one that is not an address) did not come through them, and is taken at
    its connection's address."""
    if trusted_proxies <= 0:
        return remote_addr
    entries = [entry.strip() for entry in forwarded_for.split(",") if entry.strip()]
    if len(entries) < trusted_proxies:
        return remote_addr
    candidate = entries[-trusted_proxies]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote_addr


def failures_toward_lockout(
    *, at_address_for_user: int, at_address: int, user_limit: int, address_limit: int
) -> int:
    """Wrong passwords count twice: for the user at the address (locked out after `user_limit`),
    and for the address whatever username was tried (locked out after `address_limit`, higher,
    as a council office signs many people in from one address). The count returned is on the
    user's scale: it reaches `user_limit` as soon as either limit is reached."""
    return max(at_address_for_user, at_address * user_limit // address_limit)
