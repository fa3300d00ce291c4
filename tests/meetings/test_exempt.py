"""Exempt items and papers (Schedule 12A): the public gets the title and the exemption, never the
content — on every public response: pages, search, calendars, PDFs, paper downloads."""

import io

import pypdf
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.visibility import reader_of
from meetings import rules
from meetings.models import AgendaDocument, AgendaItem, Minute
from recommendations.models import Recommendation
from tests.factories import (
    PASSWORD,
    AgendaDocumentFactory,
    AgendaItemFactory,
    DeclarationFactory,
    MinuteFactory,
    RecommendationFactory,
    ResolutionFactory,
    UserFactory,
    WorkProgrammeItemFactory,
)

pytestmark = pytest.mark.django_db

SECRETS = (
    "quokkasummary",
    "quokkareportof",
    "quokkareason",
    "quokkapaper",
    "quokkaminute",
    "quokkanoted",
    "quokkaaddressed",
    "quokkaresolution",
    "quokkarecommendation",
    "quokkafile",
)
NOTICE = "Exempt: paragraph 3 of Schedule 12A to the Local Government Act 1972"


@pytest.fixture
def exempt(scene, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    march = scene.march
    item = AgendaItemFactory(
        meeting=march,
        number=8,
        title="PROPOSED CONTRACT FOR RESIDENTIAL PLACEMENTS",
        summary="Report of the Director, quokkasummary.",
        report_of="Director quokkareportof",
        exempt=True,
        exempt_paragraph=3,
        exempt_reason="quokkareason",
    )
    AgendaDocumentFactory(item=item, title="Tender scores", url="https://example.org/quokkapaper")
    AgendaDocumentFactory(
        item=item,
        title="Uploaded appendix",
        url="",
        file=SimpleUploadedFile("appendix.txt", b"quokkafile"),
    )
    open_item = march.items.get(number=7)
    secret_paper = AgendaDocumentFactory(
        item=open_item,
        title="Appendix 2: named cases",
        url="https://example.org/quokkapaper-two",
        exempt=True,
        exempt_paragraph=1,
    )
    minute = MinuteFactory(
        meeting=march,
        agenda_item=item,
        number=40,
        title=item.title,
        text="The Panel discussed quokkaminute.",
        noted="quokkanoted",
        addressed_by="quokkaaddressed",
    )
    resolution = ResolutionFactory(minute=minute, number=1, text="That quokkaresolution.")
    RecommendationFactory(
        meeting=march,
        resolution=resolution,
        item_title=item.title,
        action_proposed="That quokkarecommendation.",
    )
    DeclarationFactory(meeting=march, item=item, person=scene.chair, detail="A declared interest")
    WorkProgrammeItemFactory(panel=scene.panel, title="Placements", target_meeting=march)
    return item, secret_paper


def public_responses(client, scene, item):
    """Every public response that could carry the meeting's content."""
    march = scene.march
    urls = [
        reverse("meetings:list"),
        reverse("meetings:list") + "?year=2021",
        march.get_absolute_url(),
        reverse("meetings:panel", args=[scene.panel.slug]),
        reverse("meetings:work-programme", args=[scene.panel.slug]),
        scene.chair.get_absolute_url(),
        reverse("meetings:calendar"),
        reverse("meetings:panel-calendar", args=[scene.panel.slug]),
        reverse("meetings:agenda-pdf", args=[march.pk]),
        reverse("meetings:minutes-pdf", args=[march.pk]),
    ] + [f"/search/?q={word}" for word in SECRETS] + ["/search/?q=contract+placements"]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content
        if response["Content-Type"] == "application/pdf":
            reader = pypdf.PdfReader(io.BytesIO(body))
            text = "\n".join(page.extract_text() for page in reader.pages)
        else:
            text = body.decode()
        yield url, text


@pytest.mark.urls("tests.meetings.urls")
def test_exempt_content_reaches_no_public_response(client, scene, exempt):
    item, _ = exempt
    seen = 0
    for url, text in public_responses(client, scene, item):
        if url.startswith("/search/") and "quokka" in url:
            word = url.split("=")[1]
            assert f"0 results for “{word}”" in text
            text = text.replace(word, "")  # the search box repeats the query
        for secret in SECRETS:
            assert secret not in text.lower(), f"{secret} leaked on {url}"
        seen += 1
    assert seen == 21


@pytest.mark.urls("tests.meetings.urls")
def test_public_sees_the_title_and_the_exemption(client, scene, exempt):
    html = client.get(scene.march.get_absolute_url()).content.decode()
    assert "PROPOSED CONTRACT FOR RESIDENTIAL PLACEMENTS" in html
    assert NOTICE in html
    assert "Appendix 2: named cases" in html  # an exempt paper's title, without its link
    assert "Exempt: paragraph 1 of Schedule 12A" in html
    assert "The papers for this item are confidential." in html
    assert "This minute is confidential." in html


def test_exempt_papers_cannot_be_downloaded_by_the_public(client, scene, exempt):
    item, _ = exempt
    uploaded = item.documents.get(title="Uploaded appendix")
    assert client.get(reverse("meetings:paper", args=[uploaded.pk])).status_code == 404
    member = UserFactory(groups=["Panel member"])
    client.login(username=member.username, password=PASSWORD)
    response = client.get(reverse("meetings:paper", args=[uploaded.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"quokkafile"


def test_open_papers_can_be_downloaded(client, scene, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    paper = AgendaDocumentFactory(
        item=scene.march.items.get(number=7),
        url="",
        file=SimpleUploadedFile("ehe.txt", b"monthly report"),
    )
    response = client.get(reverse("meetings:paper", args=[paper.pk]))
    assert b"".join(response.streaming_content) == b"monthly report"
    html = client.get(scene.march.get_absolute_url()).content.decode()
    assert reverse("meetings:paper", args=[paper.pk]) in html


@pytest.mark.urls("tests.meetings.urls")
def test_signed_in_panel_members_and_staff_read_everything(client, scene, exempt):
    for groups, staff in ((["Panel member"], False), ([], True)):
        user = UserFactory(groups=groups, is_staff=staff)
        client.login(username=user.username, password=PASSWORD)
        html = client.get(scene.march.get_absolute_url()).content.decode()
        for secret in ("quokkasummary", "quokkapaper", "quokkaminute", "quokkanoted",
                       "quokkaaddressed", "quokkaresolution", "quokkarecommendation"):
            assert secret in html, (secret, groups, staff)
        assert NOTICE in html
        results = client.get("/search/?q=quokkaminute").content.decode()
        assert "PROPOSED CONTRACT FOR RESIDENTIAL PLACEMENTS" in results
        client.logout()


def test_the_rule_lives_in_one_place(scene, exempt):
    item, paper = exempt
    public = None
    member = UserFactory(groups=["Panel member"])
    assert not reader_of(public).sees_exempt
    assert reader_of(member).sees_exempt
    assert reader_of(UserFactory(is_superuser=True)).sees_exempt
    assert not reader_of(UserFactory()).sees_exempt
    assert item not in AgendaItem.objects.visible_to(public)
    assert item in AgendaItem.objects.visible_to(member)
    assert paper not in AgendaDocument.objects.visible_to(public)
    assert paper in AgendaDocument.objects.visible_to(member)
    assert not Minute.objects.visible_to(public).filter(agenda_item=item).exists()
    assert not Recommendation.objects.visible_to(public).filter(
        resolution__minute__agenda_item=item
    ).exists()
    assert rules.exemption_notice(paragraph=item.exempt_paragraph) == NOTICE
