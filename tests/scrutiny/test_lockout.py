"""Wrong passwords behind the load balancer: a user is locked out at one address, not
everywhere, and an address that tries many usernames is locked out for all of them."""

import pytest
from django.contrib.auth.models import User

from core.throttling import client_address, failures_toward_lockout

BALANCER = "10.0.0.2"
HOME, OFFICE, ATTACKER = "198.51.100.7", "203.0.113.20", "192.0.2.66"
LOGIN = "/accounts/login/"
PASSWORD = "right-password-123"


@pytest.mark.parametrize(
    ("remote", "forwarded", "proxies", "expected"),
    [
        (HOME, "", 0, HOME),  # no proxy: the connection's address
        (BALANCER, HOME, 0, BALANCER),  # proxies not trusted: the header is ignored
        (BALANCER, HOME, 1, HOME),  # the balancer's entry
        (BALANCER, f"{ATTACKER}, {HOME}", 1, HOME),  # a made-up entry on the left is ignored
        (BALANCER, f"{HOME}, 10.0.0.9", 2, HOME),  # a CDN in front of the balancer
        (BALANCER, "", 1, BALANCER),  # did not come through the balancer
        (BALANCER, "not-an-address", 1, BALANCER),
    ],
)
def test_the_address_is_the_one_the_trusted_proxies_saw(remote, forwarded, proxies, expected):
    assert (
        client_address(remote_addr=remote, forwarded_for=forwarded, trusted_proxies=proxies)
        == expected
    )


@pytest.mark.parametrize(
    ("for_user", "at_address", "locked"),
    [(4, 4, False), (5, 5, True), (0, 29, False), (0, 30, True), (1, 40, True)],
)
def test_either_limit_locks_out(for_user, at_address, locked):
    count = failures_toward_lockout(
        at_address_for_user=for_user, at_address=at_address, user_limit=5, address_limit=30
    )
    assert (count >= 5) is locked


@pytest.fixture
def behind_balancer(settings):
    settings.AXES_ENABLED = True
    settings.TRUSTED_PROXY_COUNT = 1
    return User.objects.create_user("officer1", password=PASSWORD)


def _login(client, address, username="officer1", password=PASSWORD):
    client.logout()
    return client.post(
        LOGIN,
        {"username": username, "password": password},
        REMOTE_ADDR=BALANCER,
        HTTP_X_FORWARDED_FOR=address,
    )


def _signed_in(response, client) -> bool:
    return response.status_code == 302 and "_auth_user_id" in client.session


@pytest.mark.django_db
def test_wrong_passwords_from_one_address_do_not_lock_the_user_out_elsewhere(
    client, behind_balancer, settings
):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _login(client, ATTACKER, password="wrong").status_code == 200
    assert _login(client, ATTACKER, password="wrong").status_code == 429
    assert _login(client, ATTACKER).status_code == 429
    assert _signed_in(_login(client, OFFICE), client)
    # Prefixing the office's address to the header changes nothing: the balancer's entry counts.
    assert _login(client, f"{OFFICE}, {ATTACKER}").status_code == 429


@pytest.mark.django_db
def test_guessing_across_usernames_from_one_address_is_locked_out(
    client, behind_balancer, settings
):
    # Four guesses at each of many usernames: under the per-user limit every time.
    names = [f"user{n}" for n in range(settings.AXES_ADDRESS_FAILURE_LIMIT // 4 + 1)]
    for name in names:
        for _ in range(4):
            _login(client, ATTACKER, username=name, password="wrong")
    assert _login(client, ATTACKER).status_code == 429
    assert _login(client, ATTACKER, username="user0", password="wrong").status_code == 429
    # The rest of the world signs in as usual.
    assert _signed_in(_login(client, OFFICE), client)


@pytest.mark.django_db
def test_one_good_password_does_not_clear_an_address_of_its_guesses(
    client, behind_balancer, settings
):
    User.objects.create_user("accomplice", password=PASSWORD)
    limit = settings.AXES_ADDRESS_FAILURE_LIMIT
    for n in range(limit - 1):
        _login(client, ATTACKER, username=f"user{n}", password="wrong")
    assert _signed_in(_login(client, ATTACKER, username="accomplice"), client)
    _login(client, ATTACKER, username="someone", password="wrong")
    assert _login(client, ATTACKER).status_code == 429
