"""Panels, the people on them, and their meetings: agendas, attendance, declarations, minutes."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from core.visibility import reader_of

from .rules import municipal_year, municipal_year_label

#: An exempt item names its paragraph (1–7) of Schedule 12A. NULL must be refused explicitly:
#: a CHECK whose comparison is NULL passes.
EXEMPT_PARAGRAPH_GIVEN = Q(
    exempt_paragraph__isnull=False, exempt_paragraph__gte=1, exempt_paragraph__lte=7
)


class Panel(models.Model):
    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    role = models.TextField(blank=True, help_text="The panel's role, as on the agenda front sheet.")
    terms_of_reference = models.TextField(blank=True)
    quorum = models.PositiveSmallIntegerField(default=3)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=Q(quorum__gte=1), name="panel_quorum_at_least_one"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("meetings:panel", args=[self.slug])


class Person(models.Model):
    class Kind(models.TextChoices):
        COUNCILLOR = "councillor", "Councillor"
        APPOINTED = "appointed", "Appointed member"
        OFFICER = "officer", "Officer"
        OTHER = "other", "Other"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    title = models.CharField(max_length=40, blank=True, help_text='E.g. "Councillor", "Dr".')
    name = models.CharField(max_length=200)
    job_title = models.CharField(max_length=200, blank=True)
    organisation = models.CharField(max_length=200, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "people"
        constraints = [
            models.UniqueConstraint(fields=["kind", "name"], name="person_unique_kind_name"),
            models.CheckConstraint(condition=~Q(name=""), name="person_name_not_blank"),
        ]

    def __str__(self) -> str:
        return self.display_name

    def get_absolute_url(self) -> str:
        return reverse("meetings:person", args=[self.pk])

    @property
    def display_name(self) -> str:
        return f"{self.title} {self.name}".strip()


class Membership(models.Model):
    """A seat on a panel. A seat without a person is a vacancy, kept to show on the panel page."""

    class Role(models.TextChoices):
        CHAIR = "chair", "Chair"
        VICE_CHAIR = "vice_chair", "Vice-chair"
        MEMBER = "member", "Member"
        APPOINTED = "appointed", "Appointed member"

    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="memberships")
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(max_length=20, choices=Role.choices)
    designation = models.CharField(
        max_length=200,
        blank=True,
        help_text='For appointed members, e.g. "Primary Parent Governor".',
    )
    start = models.DateField()
    end = models.DateField(null=True, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["panel", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")),
                name="membership_ends_after_start",
            ),
            models.CheckConstraint(
                condition=~Q(role="appointed") | ~Q(designation=""),
                name="membership_appointed_has_designation",
            ),
            models.CheckConstraint(
                condition=Q(person__isnull=False) | Q(role="appointed"),
                name="membership_only_appointed_seats_vacant",
            ),
            models.UniqueConstraint(
                fields=["panel", "person", "start"],
                condition=Q(person__isnull=False),
                name="membership_unique_person_start",
            ),
        ]

    def __str__(self) -> str:
        who = self.person.display_name if self.person else "Vacancy"
        return f"{who} – {self.designation or self.get_role_display()}"

    @property
    def is_vacant(self) -> bool:
        return self.person_id is None


class PanelContact(models.Model):
    """The officers named on the front sheet: democratic support officer, scrutiny manager."""

    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="contacts")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="panel_contacts")
    role = models.CharField(max_length=100)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["panel", "order"]
        constraints = [
            models.UniqueConstraint(fields=["panel", "person", "role"], name="contact_unique_role"),
        ]

    def __str__(self) -> str:
        return f"{self.role}: {self.person}"


class MeetingQuerySet(models.QuerySet):
    def upcoming(self):
        """Meetings from now on, soonest first."""
        return self.filter(start__gte=timezone.now()).order_by("start")

    def past(self):
        """Meetings before now, latest first."""
        return self.filter(start__lt=timezone.now()).order_by("-start")

    def in_municipal_year(self, year: int):
        """Meetings of one municipal year (May to April)."""
        from .rules import municipal_year_bounds

        first, after = municipal_year_bounds(year=year)
        return self.filter(start__date__gte=first, start__date__lt=after)


class Meeting(models.Model):
    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        HELD = "held", "Held"
        CANCELLED = "cancelled", "Cancelled"

    panel = models.ForeignKey(Panel, on_delete=models.PROTECT, related_name="meetings")
    start = models.DateTimeField()
    venue = models.CharField(max_length=200, blank=True)
    hybrid = models.BooleanField(default=False)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.SCHEDULED)
    notice = models.CharField(
        max_length=200, blank=True, help_text='E.g. "Please note time of meeting".'
    )
    agenda_published = models.DateField(null=True, blank=True)
    sequence = models.PositiveIntegerField(
        default=0,
        editable=False,
        help_text="Revision of the calendar entry (iCalendar SEQUENCE): bumped when the meeting "
        "is moved or cancelled.",
    )
    minutes_approved_at = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="approved_minutes_of",
        help_text="The later meeting that approved these minutes as a correct record.",
    )

    objects = MeetingQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["start"]
        constraints = [
            models.UniqueConstraint(fields=["panel", "start"], name="meeting_unique_panel_start"),
        ]

    def __str__(self) -> str:
        local = timezone.localtime(self.start)
        return f"{self.panel.name}, {local.day} {local:%B %Y}"

    def get_absolute_url(self) -> str:
        return reverse("meetings:meeting", args=[self.pk])

    @property
    def municipal_year(self) -> int:
        return municipal_year(on=timezone.localtime(self.start).date())

    @property
    def municipal_year_label(self) -> str:
        return municipal_year_label(year=self.municipal_year)

    @property
    def is_published(self) -> bool:
        return self.agenda_published is not None


class AgendaItemQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Items whose content (summary, papers, minute) `user` may read (core.visibility):
        for the public, not exempt and on a published agenda."""
        reader = reader_of(user)
        if reader.sees_exempt and reader.sees_unpublished_agenda:
            return self
        items = self
        if not reader.sees_exempt:
            items = items.filter(exempt=False)
        if not reader.sees_unpublished_agenda:
            items = items.filter(meeting__agenda_published__isnull=False)
        return items


class AgendaItem(models.Model):
    class Kind(models.TextChoices):
        PROCEDURAL = "procedural", "Procedural"
        REPORT = "report", "Report"
        PERFORMANCE = "performance", "Performance"
        MONITORING = "monitoring", "Monitoring recommendations"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=300)
    summary = models.TextField(blank=True)
    report_of = models.CharField(max_length=300, blank=True)
    page_from = models.PositiveIntegerField(null=True, blank=True)
    page_to = models.PositiveIntegerField(null=True, blank=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.REPORT)
    exempt = models.BooleanField(default=False)
    exempt_paragraph = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="Paragraph (1–7) of Schedule 12A to the Local Government Act 1972.",
    )
    exempt_reason = models.CharField(max_length=300, blank=True)
    dataset_panel = models.ForeignKey(
        Panel,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="For a performance item: whose dataset was discussed.",
    )
    dataset_month = models.DateField(
        null=True, blank=True, help_text="For a performance item: the latest month discussed."
    )
    # Who changed an item and when: named when two people save it from pages opened together.
    history = HistoricalRecords()

    objects = AgendaItemQuerySet.as_manager()

    class Meta:
        ordering = ["meeting", "number"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "number"], name="agendaitem_unique_number"),
            models.CheckConstraint(
                condition=Q(exempt=False) | EXEMPT_PARAGRAPH_GIVEN,
                name="agendaitem_exempt_needs_paragraph",
            ),
            models.CheckConstraint(
                condition=Q(page_from__isnull=True)
                | Q(page_to__isnull=True)
                | Q(page_to__gte=models.F("page_from")),
                name="agendaitem_pages_in_order",
            ),
            models.CheckConstraint(
                condition=Q(dataset_month__isnull=True) | Q(kind="performance"),
                name="agendaitem_dataset_only_on_performance",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"

    @property
    def pages(self) -> str:
        if self.page_from and self.page_to and self.page_to != self.page_from:
            return f"Pages {self.page_from} - {self.page_to}"
        if self.page_from:
            return f"Page {self.page_from}"
        return ""


class AgendaDocumentQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Papers `user` may open (core.visibility): for the public, not exempt themselves
        and on an item the public may read."""
        reader = reader_of(user)
        papers = self
        if not reader.sees_exempt:
            papers = papers.filter(exempt=False, item__exempt=False)
        if not reader.sees_unpublished_agenda:
            papers = papers.filter(item__meeting__agenda_published__isnull=False)
        return papers


class AgendaDocument(models.Model):
    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(max_length=300)
    file = models.FileField(upload_to="papers/%Y/%m/", blank=True)
    url = models.URLField(blank=True)
    exempt = models.BooleanField(default=False)
    exempt_paragraph = models.PositiveSmallIntegerField(null=True, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    objects = AgendaDocumentQuerySet.as_manager()

    class Meta:
        ordering = ["item", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(file="") | ~Q(url=""), name="agendadocument_has_file_or_link"
            ),
            models.CheckConstraint(
                condition=Q(exempt=False) | EXEMPT_PARAGRAPH_GIVEN,
                name="agendadocument_exempt_needs_paragraph",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Attendance(models.Model):
    class Status(models.TextChoices):
        PRESENT = "present", "Present"
        APOLOGIES = "apologies", "Apologies"
        ABSENT = "absent", "Absent"
        SUBSTITUTE = "substitute", "Substitute"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="attendance")
    status = models.CharField(max_length=20, choices=Status.choices)
    substitute_for = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="substituted_by"
    )
    note = models.CharField(max_length=200, blank=True, help_text='E.g. "except items 26 and 27".')

    class Meta:
        ordering = ["meeting", "status", "person__name"]
        verbose_name_plural = "attendance"
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "person"], name="attendance_once_per_meeting"
            ),
            models.CheckConstraint(
                condition=Q(substitute_for__isnull=True) | Q(status="substitute"),
                name="attendance_substitute_for_only_substitutes",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.get_status_display()}"


class Declaration(models.Model):
    class Kind(models.TextChoices):
        PECUNIARY = "pecuniary", "Disclosable pecuniary interest"
        OTHER = "other", "Other interest"
        SCRUTINY = "scrutiny", "Scrutiny interest"
        WHIP = "whip", "Party political whip"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="declarations")
    item = models.ForeignKey(
        AgendaItem, null=True, blank=True, on_delete=models.CASCADE, related_name="declarations"
    )
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="declarations")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    detail = models.TextField()

    class Meta:
        ordering = ["meeting", "item__number", "pk"]

    def __str__(self) -> str:
        return f"{self.person}: {self.get_kind_display()}"


class MinuteQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Minutes whose text `user` may read (core.visibility): draft or approved, every
        minute but, for the public, those of an exempt item."""
        reader = reader_of(user)
        minutes = self
        if not reader.sees_draft_minutes:
            minutes = minutes.filter(meeting__minutes_approved_at__isnull=False)
        if reader.sees_exempt:
            return minutes
        return minutes.exclude(agenda_item__exempt=True)


class Minute(models.Model):
    """One numbered minute. Numbers run on through the municipal year, so panel and year are kept
    on the row and the database refuses a number used twice in the same year."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="minutes")
    panel = models.ForeignKey(Panel, on_delete=models.PROTECT, related_name="+")
    municipal_year = models.PositiveSmallIntegerField()
    number = models.PositiveIntegerField()
    agenda_item = models.OneToOneField(
        AgendaItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="minute"
    )
    title = models.CharField(max_length=300)
    text = models.TextField(blank=True)
    noted = models.TextField(
        blank=True, help_text='"The Panel noted the following": one point a line.'
    )
    addressed_by = models.TextField(blank=True, help_text="Who addressed the panel.")
    approves_minutes_of = models.ForeignKey(
        Meeting,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="approving_minutes",
    )

    objects = MinuteQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["panel", "municipal_year", "number"], name="minute_number_unique_in_year"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"

    @property
    def noted_points(self) -> list[str]:
        return [line.strip() for line in self.noted.splitlines() if line.strip()]

    @property
    def exempt(self) -> bool:
        return bool(self.agenda_item and self.agenda_item.exempt)


class Resolution(models.Model):
    minute = models.ForeignKey(Minute, on_delete=models.CASCADE, related_name="resolutions")
    number = models.PositiveSmallIntegerField()
    text = models.TextField()
    history = HistoricalRecords()

    class Meta:
        ordering = ["minute", "number"]
        constraints = [
            models.UniqueConstraint(fields=["minute", "number"], name="resolution_unique_number"),
            models.CheckConstraint(condition=~Q(text=""), name="resolution_text_not_blank"),
        ]

    def __str__(self) -> str:
        return f"{self.number}) {self.text[:80]}"


class WorkProgrammeItem(models.Model):
    """A future item of a panel's work programme, placed on a meeting's agenda when scheduled."""

    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        CONFIRMED = "confirmed", "Confirmed"
        DEFERRED = "deferred", "Deferred"
        DONE = "done", "Done"

    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="work_programme")
    title = models.CharField(max_length=300)
    purpose = models.TextField(blank=True, help_text="What the panel wants from the item.")
    lead_officer = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="work_programme"
    )
    target_meeting = models.ForeignKey(
        Meeting,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="work_programme_items",
        help_text="The meeting it is scheduled for.",
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PLANNED)
    agenda_item = models.OneToOneField(
        AgendaItem,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="work_programme_item",
        help_text="The agenda item created when it was placed on its meeting.",
    )
    notes = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["panel", "target_meeting__start", "order", "pk"]
        verbose_name = "work programme item"
        constraints = [
            models.CheckConstraint(
                condition=~Q(title=""), name="workprogrammeitem_title_not_blank"
            ),
        ]

    def __str__(self) -> str:
        return self.title
