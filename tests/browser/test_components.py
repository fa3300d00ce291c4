"""The shared includes and the django-tables2 template, rendered and checked in a browser."""

import re

import django_tables2 as tables
import pytest
from django.template import RequestContext, Template
from django.test import RequestFactory
from playwright.sync_api import expect

PAGE = """{% extends "base.html" %}{% load django_tables2 %}
{% block title %}Components{% endblock %}
{% block content %}
<h1 class="govuk-heading-l">Components</h1>
<p class="govuk-body" id="tags">
  {% include "includes/rag_tag.html" with rag="red" %}
  {% include "includes/rag_tag.html" with rag="Amber" %}
  {% include "includes/rag_tag.html" with rag="green" prefix="RAG rating:" %}
  {% include "includes/rag_tag.html" with rag=None %}
</p>
<ul class="app-tiles">
  {% for tile in tiles %}{% include "includes/indicator_tile.html" %}{% endfor %}
</ul>
<div class="app-table-scroll" tabindex="0" role="region" aria-labelledby="monitoring-caption">
  <table class="govuk-table app-monitoring-table">
    <caption id="monitoring-caption" class="govuk-table__caption govuk-table__caption--s">
      Monitoring</caption>
    <thead class="govuk-table__head"><tr class="govuk-table__row">
      <th scope="col" class="govuk-table__header">Indicator</th>
      <th scope="col" class="govuk-table__header app-num">Jan-22</th>
      <th scope="col" class="govuk-table__header app-num">Feb-22</th></tr></thead>
    <tbody class="govuk-table__body">
      <tr class="govuk-table__row app-monitoring-table__group">
        <th scope="colgroup" colspan="3" class="govuk-table__header"><span>Early help</span></th>
      </tr>
      <tr class="govuk-table__row">
        <th scope="row" class="govuk-table__header">Re-referrals</th>
        <td class="govuk-table__cell app-num app-rag-cell app-rag-cell--amber">24.0<span
          class="govuk-visually-hidden">, amber</span></td>
        <td class="govuk-table__cell app-num app-rag-cell app-rag-cell--red">27.4<span
          class="govuk-visually-hidden">, red</span></td></tr>
    </tbody>
  </table>
</div>
{% render_table table %}
{% include "includes/pagination.html" %}
{% endblock %}"""
TILES = [
    {
        "title": "Percentage of re-referrals within 12 months",
        "url": "/indicators/1/",
        "period": "February 2022",
        "value": "27.4%",
        "target": "<23%",
        "rag": "red",
        "direction": "worsening",
        "movement": "up",
        "direction_since": "since January 2022",
        "spc": [
            {"kind": "concerning", "icon": "H", "text": "Special cause of concern (high)"},
            {"kind": "fail", "icon": "F", "text": "Consistently fails the target"},
        ],
        "spark": {
            "width": 120,
            "view_width": 126,
            "view_height": 38,
            "segments": [{"points": "3,29 60,12 117,4", "is_dot": False}],
            "target_y": 20,
            "last_x": 117,
            "last_y": 4,
            "summary": "12 months to February 2022: from 21% to 27.4%. Target below 23%.",
        },
    },
    {"title": "Number of contacts", "value": "TBC", "value_missing": True, "rag": "none"},
]


class IndicatorTable(tables.Table):
    name = tables.Column(verbose_name="Indicator")
    value = tables.Column(
        attrs={
            "th": {"class": "govuk-table__header--numeric"},
            "td": {"class": "govuk-table__cell--numeric app-num"},
        }
    )
    caption = "Indicators"


def render_components(path: str = "/indicators/?sort=-value&page=2") -> str:
    from django.contrib.auth.models import AnonymousUser
    from django.core.paginator import Paginator

    request = RequestFactory().get(path)
    request.user = AnonymousUser()
    table = IndicatorTable([{"name": f"Indicator {i}", "value": i} for i in range(30)])
    tables.RequestConfig(request, paginate={"per_page": 10}).configure(table)
    context = {"tiles": TILES, "table": table, "page_obj": Paginator(range(50), 10).page(2)}
    return Template(PAGE).render(RequestContext(request, context))


def test_includes_render_words_not_only_colours():
    html = render_components()
    tags = re.findall(r'<strong class="app-rag app-rag--(\w+)[^"]*">(.*?)</strong>', html)
    assert [(rag, re.sub(r"<[^>]+>", "", text)) for rag, text in tags][:4] == [
        ("red", "Red"),
        ("amber", "Amber"),
        ("green", "RAG rating: Green"),
        ("none", "No rating"),
    ]
    assert 'aria-current="page"' in html  # the Indicators section in the navigation
    assert "<script>" not in html and " style=" not in html  # CSP-ready: no inline code


@pytest.mark.django_db(transaction=True)
def test_components_are_accessible(page, live_server, assert_accessible):
    # Load the layout from the live server (same origin, so /static/ resolves), then swap in
    # the rendered components.
    page.goto(live_server.url + "/accounts/login/")
    page.set_content(render_components())

    expect(page.locator(".app-tile")).to_have_count(2)
    expect(page.locator(".app-tile--red .app-rag")).to_have_text("RAG rating: Red")
    expect(page.locator(".app-tile--red .app-dot")).to_contain_text("Worsening")
    expect(page.locator(".app-tile--red .app-sparkline")).to_have_attribute("role", "img")
    expect(page.locator(".app-tile--none .app-tile__value")).to_have_class(
        re.compile(r"\bapp-missing\b")
    )
    # django-tables2 → GOV.UK table: header classes merged, aria-sort on the sorted column,
    # GOV.UK pagination with the current page marked.
    table = page.locator("table", has=page.locator("caption", has_text="Indicators"))
    value_header = table.locator("th", has_text="Value")
    expect(value_header).to_have_attribute("aria-sort", "descending")
    expect(value_header).to_have_class(re.compile(r"govuk-table__header\b.*numeric"))
    expect(table.locator("th[scope=col]")).to_have_count(2)
    expect(table.locator("tbody td.govuk-table__cell.app-num").first).to_have_text("19")
    current = page.get_by_role("navigation", name="Indicators: pages").locator(
        "[aria-current=page]"
    )
    expect(current).to_have_text("2")
    # Scroll regions are reachable by keyboard.
    expect(page.locator(".app-table-scroll").first).to_have_attribute("tabindex", "0")

    assert_accessible(page)
