"""The recommendations tracker ("Scrutiny Monitoring"): from a resolution to the panel's acceptance."""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from indicators.models import Indicator
from meetings.models import Meeting, Panel, Person, Resolution


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
        max_length=300, blank=True, help_text="Other spellings met in imported trackers, comma-separated."
    )

    class Meta:
        ordering = ["order", "name"]
        verbose_name_plural = "statuses"
        constraints = [
            models.CheckConstraint(
                condition=~Q(is_complete=True, is_rejected=True), name="status_not_complete_and_rejected"
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
        ordering = ["meeting_date", "item_title", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["panel", "meeting_date", "item_title", "number"],
                name="recommendation_unique_number_in_item",
            ),
            models.CheckConstraint(
                condition=Q(accepted_at__isnull=True) | Q(rejection_reported_at__isnull=True),
                name="recommendation_not_accepted_and_rejected",
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="recommendation_number_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.meeting_date:%d/%m/%y} {self.item_title} {self.number})"

    def get_absolute_url(self) -> str:
        return reverse("recommendations:detail", args=[self.pk])

    @property
    def is_on_list(self) -> bool:
        return self.accepted_at_id is None and self.rejection_reported_at_id is None

    def is_overdue(self, *, today: date) -> bool:
        return bool(self.due_date and self.due_date < today and not self.status.is_complete)


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
