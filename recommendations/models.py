"""The recommendations tracker ("Scrutiny Monitoring"): from a resolution to the panel's
acceptance."""

from datetime import UTC, date, datetime

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from simple_history.models import HistoricalRecords

from core.visibility import reader_of
from indicators.models import Indicator
from meetings.models import Meeting, Panel, Person, Resolution

from . import rules


class Status(models.Model):
    """An admin-editable progress status. Flags say how the tracker's rule treats it."""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=50, unique=True)
    order = models.PositiveSmallIntegerField(default=0)
    colour = models.CharField(
        max_length=20, default="grey", help_text="A GOV.UK tag colour, e.g. green, yellow, red."
    )
    is_complete = models.BooleanField(
        default=False, help_text="Complete: leaves the list once the panel accepts it."
    )
    is_rejected = models.BooleanField(
        default=False, help_text="Rejected: leaves the list once reported to the panel."
    )
    aliases = models.CharField(
        max_length=300,
        blank=True,
        help_text="Other spellings met in imported trackers, comma-separated.",
    )

    class Meta:
        ordering = ["order", "name"]
        verbose_name_plural = "statuses"
        constraints = [
            models.CheckConstraint(
                condition=~Q(is_complete=True, is_rejected=True),
                name="status_not_complete_and_rejected",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class RecommendationQuerySet(models.QuerySet):
    def on_list(self):
        """The open tracker: not yet accepted as complete, and not a rejection already reported."""
        return self.filter(accepted_at__isnull=True, rejection_reported_at__isnull=True)

    def archived(self):
        """Recommendations the panel accepted as complete, or rejections reported to it."""
        return self.exclude(accepted_at__isnull=True, rejection_reported_at__isnull=True)

    def visible_to(self, user):
        """What `user` may read (core.visibility.sees_exempt): everything for panel members
        and staff; the public, and a signed-in account with no role, never see a recommendation
        arising from an exempt agenda item, nor its action taken."""
        if reader_of(user).sees_exempt:
            return self
        return self.exclude(resolution__minute__agenda_item__exempt=True)

    def on_list_for(self, *, panel: Panel, report_date: date):
        """The list put to a panel's meeting on `report_date` (see rules.is_on_list): made at an
        earlier meeting and not accepted, nor its rejection reported, before that meeting."""
        return self.filter(panel=panel, meeting_date__lt=report_date).filter(
            Q(accepted_at__isnull=True) | Q(accepted_at__start__date__gte=report_date),
            Q(rejection_reported_at__isnull=True)
            | Q(rejection_reported_at__start__date__gte=report_date),
        )

    def overdue(self, *, today: date):
        """On the list, past the due date, neither complete nor rejected (rules.is_overdue)."""
        return self.on_list().filter(
            due_date__lt=today, status__is_complete=False, status__is_rejected=False
        )

    def awaiting_response(self):
        """On the list and no action taken recorded yet (rules.response_state)."""
        has_update = RecommendationUpdate.objects.filter(recommendation=OuterRef("pk"))
        return self.on_list().filter(~Exists(has_update))

    def search(self, text: str):
        """Recommendations whose title, proposal or any action taken contains `text`."""
        text = text.strip()
        if not text:
            return self
        has_update = RecommendationUpdate.objects.filter(
            recommendation=OuterRef("pk"), action_taken__icontains=text
        )
        return self.filter(
            Q(item_title__icontains=text) | Q(action_proposed__icontains=text) | Exists(has_update)
        )

    def for_tables(self):
        """The joins every tracker table needs, in one query."""
        return self.select_related(
            "panel", "status", "lead_officer", "accepted_at", "rejection_reported_at"
        )


class Recommendation(models.Model):
    panel = models.ForeignKey(Panel, on_delete=models.PROTECT, related_name="recommendations")
    resolution = models.OneToOneField(
        Resolution,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="recommendation",
        help_text="The RESOLVED item it came from; blank for history with no minutes here.",
    )
    meeting = models.ForeignKey(
        Meeting,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="recommendations_made",
        help_text="The meeting that made it (from the resolution, or set by hand for history).",
    )
    meeting_date = models.DateField()
    item_title = models.CharField(max_length=300)
    number = models.PositiveSmallIntegerField()
    item_order = models.PositiveSmallIntegerField(
        default=0,
        help_text="Where the item came in its meeting (its agenda item number); orders the report.",
    )
    action_proposed = models.TextField()
    lead_officer = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="recommendations_led"
    )
    due_date = models.DateField(null=True, blank=True)
    response_due = models.DateField(
        null=True, blank=True, help_text="When the executive response is due."
    )
    status = models.ForeignKey(Status, on_delete=models.PROTECT, related_name="recommendations")
    accepted_at = models.ForeignKey(
        Meeting,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="accepted_recommendations",
        help_text="The meeting at which the panel accepted it as complete.",
    )
    rejection_reported_at = models.ForeignKey(
        Meeting,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reported_rejections",
        help_text="The meeting to which its rejection was reported.",
    )
    indicators = models.ManyToManyField(Indicator, blank=True, related_name="recommendations")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RecommendationQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[indicators])

    class Meta:
        ordering = ["meeting_date", "item_order", "item_title", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["panel", "meeting_date", "item_title", "number"],
                name="recommendation_unique_number_in_item",
            ),
            models.CheckConstraint(
                condition=Q(accepted_at__isnull=True) | Q(rejection_reported_at__isnull=True),
                name="recommendation_not_accepted_and_rejected",
            ),
            models.CheckConstraint(
                condition=Q(number__gte=1), name="recommendation_number_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.meeting_date:%d/%m/%y} {self.item_title} {self.number})"

    def get_absolute_url(self) -> str:
        return reverse("recommendations:detail", args=[self.pk])

    @property
    def is_on_list(self) -> bool:
        return self.accepted_at_id is None and self.rejection_reported_at_id is None

    def is_overdue(self, *, today: date) -> bool:
        return rules.is_overdue(
            due_date=self.due_date,
            today=today,
            is_complete=self.status.is_complete,
            is_rejected=self.status.is_rejected,
            on_list=self.is_on_list,
        )

    @property
    def response_due_on(self) -> date:
        """The executive response's due date: as set, or two months after the meeting."""
        return self.response_due or rules.default_response_due(meeting_date=self.meeting_date)

    def allowed_decisions(self) -> tuple[rules.Decision, ...]:
        return rules.allowed_decisions(
            is_complete=self.status.is_complete,
            is_rejected=self.status.is_rejected,
            on_list=self.is_on_list,
        )


class RecommendationUpdate(models.Model):
    """An entry of "Action taken", dated and attributed, with the status it set."""

    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, related_name="updates"
    )
    date = models.DateField()
    action_taken = models.TextField()
    status = models.ForeignKey(Status, on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    author_name = models.CharField(max_length=200, blank=True)
    reported_to = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.SET_NULL, related_name="tracker_updates"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["recommendation", "date", "pk"]
        get_latest_by = ["date", "pk"]

    def __str__(self) -> str:
        return f"{self.recommendation} – {self.date}"


class PanelDecision(models.Model):
    """What the panel decided about an item of the monitoring report at a meeting."""

    class Kind(models.TextChoices):
        ACCEPTED = rules.Decision.ACCEPTED.value, rules.DECISION_LABELS[rules.Decision.ACCEPTED]
        NOT_ACCEPTED = (
            rules.Decision.NOT_ACCEPTED.value,
            rules.DECISION_LABELS[rules.Decision.NOT_ACCEPTED],
        )
        REJECTION_NOTED = (
            rules.Decision.REJECTION_NOTED.value,
            rules.DECISION_LABELS[rules.Decision.REJECTION_NOTED],
        )

    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, related_name="decisions"
    )
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="tracker_decisions")
    decision = models.CharField(max_length=20, choices=Kind.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["recommendation", "meeting__start"]
        constraints = [
            models.UniqueConstraint(
                fields=["recommendation", "meeting"], name="paneldecision_once_per_meeting"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.recommendation}: {self.get_decision_display()}"


class QuestionQuerySet(models.QuerySet):
    def open(self):
        """Questions not answered yet."""
        return self.filter(answered_at__isnull=True)

    def answered(self):
        """Questions with an answer."""
        return self.filter(answered_at__isnull=False)

    def for_meeting(self, meeting: Meeting):
        """What a meeting's performance item lists: questions on its panel's indicators asked
        before the meeting starts, that were still open when the panel's previous meeting (not
        cancelled) began — open now, or answered since then. Oldest first, in one query."""
        previous = (
            Meeting.objects.filter(panel=meeting.panel_id, start__lt=meeting.start)
            .exclude(status=Meeting.Status.CANCELLED)
            .order_by("-start")
            .values("start")[:1]
        )
        since = Coalesce(
            Subquery(previous),
            Value(QUESTION_EPOCH, output_field=models.DateTimeField()),
            output_field=models.DateTimeField(),
        )
        return (
            self.filter(indicator__panel=meeting.panel_id, asked_at__lt=meeting.start)
            .filter(Q(answered_at__isnull=True) | Q(answered_at__gte=since))
            .order_by("asked_at", "pk")
        )

    def for_display(self):
        """The joins a list of questions needs: indicator, its owner, who asked and answered."""
        return self.select_related(
            "indicator__owner", "asked_by__person", "answered_by__person"
        )


QUESTION_EPOCH = datetime(2000, 1, 1, tzinfo=UTC)


class Question(models.Model):
    """A panel member's question on an indicator's figure for a month, and the owning officer's
    answer. Part of the panel's public scrutiny: shown to everyone with its answer."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="questions")
    month = models.DateField(help_text="The first day of the month the question is about.")
    text = models.TextField("Question")
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="questions_asked"
    )
    asked_at = models.DateTimeField(auto_now_add=True)
    answer = models.TextField(blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="questions_answered",
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    objects = QuestionQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-asked_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(month__day=1), name="question_month_is_first_day"),
            models.CheckConstraint(
                condition=(Q(answer="") & Q(answered_at__isnull=True))
                | (~Q(answer="") & Q(answered_at__isnull=False)),
                name="question_answer_with_date",
            ),
            models.CheckConstraint(condition=~Q(text=""), name="question_text_not_blank"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.month:%b-%y}: {self.text[:60]}"

    def get_absolute_url(self) -> str:
        return f"{self.indicator.get_absolute_url()}#question-{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.answered_at is None

    @property
    def asker_name(self) -> str:
        """Who asked, as the public sees it: their person record's name, else their full name."""
        return _user_name(self.asked_by, fallback="A panel member")

    @property
    def answerer_name(self) -> str:
        if not self.answered_by_id:
            return ""
        return _user_name(self.answered_by, fallback="An officer")


def _user_name(user, *, fallback: str) -> str:
    person = getattr(user, "person", None)
    if person is not None:
        return person.display_name
    return user.get_full_name() or fallback
