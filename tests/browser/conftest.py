"""Browser tests: Playwright driving Debian's headless Chromium against pytest-django's live server.

Never run `playwright install` (it downloads browsers; the network is closed): the tests use
/usr/bin/chromium (`apt-get install -y chromium`). Every test in this folder is marked
`browser`, so `pytest -m "not browser"` leaves them out.
"""

import os
from pathlib import Path
from urllib.parse import quote

import pytest

# The live server runs in a thread while Playwright's sync API runs an event loop in this one.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(config, items):
    """Mark every test under tests/browser/ as a browser test."""
    for item in items:
        if HERE in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.browser)


def _require_chromium() -> None:
    if os.path.exists(CHROMIUM):
        return
    message = (
        f"{CHROMIUM} not found: browser tests need Debian's Chromium "
        "(apt-get install -y chromium chromium-driver; never `playwright install`)."
    )
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="session", autouse=True)
def _chromium_available():
    """Skip the browser tests without Chromium, except on CI (CI=true), where that fails."""
    _require_chromium()


@pytest.fixture(scope="session", autouse=True)
def _static_built():
    """The pages load static/dist/ (git-ignored); without a build every layout test fails."""
    built = HERE.parent.parent / "static" / "dist"
    missing = [
        name
        for name in ("app.css", "app.js", "govuk-frontend.min.js")
        if not (built / name).exists()
    ]
    if missing:
        pytest.fail(
            f"static/dist/ is not built (missing {', '.join(missing)}): "
            "run `npm ci && npm run build` first.",
            pytrace=False,
        )


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    _require_chromium()
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def base_url(pytestconfig):
    """pytest-playwright's fallback `base_url`, as a plain function.

    Its own is a method of a plugin class, which pytest 9 warns about on every run. The tests
    use `live_server.url`; this only keeps --base-url / the base_url ini value working.
    """
    try:
        return pytestconfig.getoption("--base-url") or pytestconfig.getini("base_url") or None
    except ValueError:
        return None


def axe_violations(page, context=None) -> list[dict]:
    """axe-core's WCAG 2.0/2.1/2.2 A and AA violations on the page as it is now."""
    from axe_playwright_python.sync_playwright import Axe

    options = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}
    return Axe().run(page, context=context, options=options).response["violations"]


def format_violations(violations: list[dict], max_targets: int = 3) -> str:
    lines = []
    for violation in violations:
        nodes = violation.get("nodes", [])
        targets = [" ".join(map(str, node.get("target", []))) for node in nodes[:max_targets]]
        more = f" (+{len(nodes) - max_targets} more)" if len(nodes) > max_targets else ""
        lines.append(
            f"- {violation['id']} [{violation.get('impact')}]: {violation.get('help')}\n"
            f"    {'; '.join(targets)}{more}\n"
            f"    {violation.get('helpUrl', '')}"
        )
    return "\n".join(lines)


def check_accessible(page, context=None) -> None:
    """Fail listing each axe violation: id, impact, help and the first few target selectors."""
    violations = axe_violations(page, context)
    if violations:
        pytest.fail(
            f"{len(violations)} accessibility violation(s) on {page.url}:\n"
            + format_violations(violations),
            pytrace=False,
        )


@pytest.fixture
def assert_accessible():
    """`assert_accessible(page)` (optionally with an axe context selector) in a test."""
    return check_accessible


def sign_in(page, live_server, username: str, password: str, next_url: str = "") -> None:
    """Sign in through the real login form and wait until the login page has been left."""
    url = f"{live_server.url}/accounts/login/"
    if next_url:
        url += f"?next={quote(next_url)}"
    page.goto(url)
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password", exact=True).fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()
    summary = page.locator(".govuk-error-summary")
    if summary.count():
        raise AssertionError(f"Sign-in as {username!r} failed: {summary.inner_text()}")


@pytest.fixture
def login():
    """`login(page, live_server, username, password)` in a test."""
    return sign_in
