"""The seed demo's meetings, panel and people, as loaded from the agenda pack of 31 March 2022.
Kept apart from the factory-built tests: the demo is loaded once for this module."""

import pytest
from django.urls import reverse

from meetings.models import Meeting, Person

from .test_pages import text_of

pytestmark = pytest.mark.django_db


def test_the_seed_demo_pages(client, demo):
    """The demo's meetings as loaded from the agenda pack of 31 March 2022."""
    html = text_of(client.get(reverse("meetings:list")))
    assert "Municipal year 2021/22" in html
    for day in ("17 June 2021", "22 July 2021", "30 September 2021", "4 November 2021"):
        assert day in html
    march = Meeting.objects.get(start__date="2022-03-31")
    html = text_of(client.get(march.get_absolute_url()))
    assert html.count('<li class="app-agenda-item ') == 10
    assert "MINUTES OF THE PREVIOUS MEETING (INCLUDING MATTERS ARISING)" in html
    assert "CHILDREN AND LEARNING SERVICE SELF EVALUATION OF PRACTICE" in html
    assert "(Pages 89 - 92)" in html
    november = Meeting.objects.get(start__date="2021-11-25")
    html = text_of(client.get(november.get_absolute_url()))
    for number in range(28, 35):
        assert f'id="minute-{number}"' in html
    assert "Tammy Marks, Service Manager – Special Educational Needs and Disability" in html
    assert '<span class="app-resolutions__number">3)</span> That the Scrutiny Manager' in html
    assert "Rob Sanders" in html
    html = text_of(client.get(reverse("meetings:panel", args=["children-and-families"])))
    assert "Vacancy</strong> Secondary Parent Governor" in html
    assert "Emily Goodwin" in html and "Mark Pirnie" in html
    sanders = Person.objects.get(name="Rob Sanders")
    html = text_of(client.get(sanders.get_absolute_url()))
    assert "25 November 2021</a>: Apologies" in html
