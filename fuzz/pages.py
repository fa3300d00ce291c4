"""The addresses the fuzzer requests: every GET route with the role allowed to read it, every
form with the role allowed to post it, and the fields (with their current values) a page's
forms offer.
"""

from __future__ import annotations

from html.parser import HTMLParser

from fuzz.world import World

# --- Addresses ---------------------------------------------------------------------------------


def get_routes(w: World) -> list[tuple[str, str, int]]:
    """Every GET route as (address, role allowed to read it, weight), weight ~ share of inputs."""
    from django.contrib import admin

    month = f"{w.month:%Y-%m}"
    slug = w.panel.slug
    routes = [
        ("/", "anonymous", 3),
        (f"/panels/{slug}/", "anonymous", 3),
        (f"/panels/{slug}/performance/", "anonymous", 4),
        (f"/indicators/panels/{slug}/performance/", "anonymous", 2),
        ("/indicators/", "anonymous", 3),
        (f"/indicators/{w.indicator_a.pk}/", "anonymous", 2),
        ("/api/indicators/", "anonymous", 3),
        (f"/api/indicators/{w.indicator_a.pk}/", "anonymous", 2),
        ("/healthz", "anonymous", 1),
        ("/accounts/login/", "anonymous", 1),
        ("/meetings/", "anonymous", 3),
        ("/meetings/calendar.ics", "anonymous", 1),
        (f"/meetings/{w.meeting.pk}/", "anonymous", 2),
        (f"/meetings/{w.meeting.pk}/agenda.pdf", "anonymous", 0),
        (f"/meetings/{w.minutes_meeting.pk}/minutes.pdf", "anonymous", 0),
        (f"/meetings/papers/{w.open_paper.pk}/", "anonymous", 1),
        (f"/meetings/papers/{w.exempt_paper.pk}/", "member", 1),
        (f"/meetings/panels/{slug}/", "anonymous", 2),
        (f"/meetings/panels/{slug}/work-programme/", "anonymous", 1),
        (f"/meetings/people/{w.person.pk}/", "anonymous", 1),
        (f"/meetings/{slug}/calendar.ics", "anonymous", 1),
        ("/search/", "anonymous", 4),
        ("/recommendations/", "anonymous", 4),
        ("/recommendations/archive/", "anonymous", 2),
        ("/recommendations/awaiting-response/", "anonymous", 2),
        ("/recommendations/new/", "manager", 1),
        (f"/recommendations/report/{w.report_date}/", "anonymous", 3),
        (f"/recommendations/report/{w.report_date}/decisions/", "manager", 2),
        (f"/recommendations/{w.recommendation.pk}/", "anonymous", 2),
        ("/recommendations/questions/", "member", 2),
        (f"/recommendations/questions/ask/{w.indicator_a.pk}/", "member", 1),
        (f"/recommendations/questions/{w.question_a.pk}/answer/", "officer_a", 1),
        ("/admin/", "officer_a", 1),
        ("/admin/indicators/entry/", "officer_a", 2),
        (f"/admin/indicators/entry/{w.area_a.pk}/{month}/", "officer_a", 2),
        (f"/admin/indicators/entry/{w.area_a.pk}/targets/2021/", "officer_a", 1),
        (f"/admin/indicators/entry/month/{slug}/{month}/", "performance", 1),
        (f"/admin/indicators/entry/month/{slug}/{month}/publish/", "performance", 1),
        ("/admin/indicators/entry/import/", "performance", 1),
        (f"/admin/indicators/value/{w.value_a.pk}/change/", "officer_a", 1),
        (f"/admin/indicators/value/{w.published_a.pk}/revise/", "performance", 1),
        ("/admin/recommendations/recommendation/import/", "manager", 1),
    ]
    for model in admin.site._registry:
        opts = model._meta
        routes.append((f"/admin/{opts.app_label}/{opts.model_name}/", "admin", 1))
    return routes


def post_forms(w: World) -> list[tuple[str, str, str | None, str | None, int]]:
    """Every form as (address, role allowed to post, page its fields are read from, file kind
    for uploads or None, weight)."""
    month = f"{w.month:%Y-%m}"
    slug = w.panel.slug
    entry = f"/admin/indicators/entry/{w.area_a.pk}/{month}/"
    targets = f"/admin/indicators/entry/{w.area_a.pk}/targets/2021/"
    status = f"/admin/indicators/entry/month/{slug}/{month}/"
    publish = f"{status}publish/"
    revise = f"/admin/indicators/value/{w.published_a.pk}/revise/"
    value = f"/admin/indicators/value/{w.value_a.pk}/change/"
    decisions = f"/recommendations/report/{w.report_date}/decisions/"
    detail = f"/recommendations/{w.recommendation.pk}/"
    meeting = f"/admin/meetings/meeting/{w.meeting.pk}/change/"
    ask = f"/recommendations/questions/ask/{w.indicator_a.pk}/"
    answer = f"/recommendations/questions/{w.question_a.pk}/answer/"
    return [
        (ask, "member", ask, None, 2),
        (answer, "officer_a", answer, None, 2),
        (entry, "officer_a", entry, None, 4),
        (targets, "officer_a", targets, None, 3),
        (status, "performance", status, None, 1),
        (publish, "performance", publish, None, 1),
        (revise, "performance", revise, None, 2),
        (value, "officer_a", value, None, 2),
        ("/admin/indicators/value/add/", "officer_a", "/admin/indicators/value/add/", None, 1),
        (decisions, "manager", decisions, None, 3),
        (f"{detail}updates/", "officer_a", detail, None, 3),
        (f"/recommendations/new/{w.resolution.pk}/", "manager", "/recommendations/new/", None, 1),
        ("/accounts/login/", "anonymous", "/accounts/login/", None, 2),
        ("/accounts/logout/", "member", "/", None, 1),
        (meeting, "manager", meeting, None, 1),
        (
            "/admin/indicators/entry/import/",
            "performance",
            "/admin/indicators/entry/import/",
            "dataset",
            2,
        ),
        (
            "/admin/recommendations/recommendation/import/",
            "manager",
            "/admin/recommendations/recommendation/import/",
            "tracker",
            2,
        ),
    ]


# --- HTML forms: the fields a page offers ------------------------------------------------------


class FormFields(HTMLParser):
    """Collect each form field's name with its current value (inputs, textareas, selects)."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: dict[str, str] = {}
        self.choices: dict[str, list[str]] = {}
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        name = a.get("name")
        if tag == "input" and name and a.get("type") not in ("submit", "file", "button"):
            if a.get("type") in ("checkbox", "radio"):
                self.choices.setdefault(name, []).append(a.get("value") or "on")
                if "checked" in a:
                    self.fields[name] = a.get("value") or "on"
            else:
                self.fields.setdefault(name, a.get("value") or "")
        elif tag == "textarea" and name:
            self._textarea = name
            self.fields.setdefault(name, "")
        elif tag == "select" and name:
            self._select = name
            self.fields.setdefault(name, "")
        elif tag == "option" and self._select:
            value = a.get("value", "")
            self.choices.setdefault(self._select, []).append(value)
            if "selected" in a or not self.fields.get(self._select):
                self.fields[self._select] = value
        elif tag == "button" and name:
            self.choices.setdefault(name, []).append(a.get("value") or "")

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.fields[self._textarea] += data


def form_fields(html: str) -> tuple[dict[str, str], dict[str, list[str]]]:
    parser = FormFields()
    parser.feed(html)
    parser.fields.pop("csrfmiddlewaretoken", None)
    return parser.fields, parser.choices
