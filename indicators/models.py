"""The monthly performance dataset: priority areas, indicators, values, targets, benchmarks."""

from django.conf import settings
from django.db import models
from django.db.models import OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from meetings.models import Panel, Person

from .rules import spc, vocabulary


class Missing(models.TextChoices):
    """Why a figure is absent. Missing values are data, never a zero standing in for one."""

    TBC = vocabulary.TBC, vocabulary.STATUS_WORDS[vocabulary.TBC]
    NA = vocabulary.NA, vocabulary.STATUS_WORDS[vocabulary.NA]
    LOCAL = vocabulary.LOCAL, vocabulary.STATUS_WORDS[vocabulary.LOCAL]
    NOT_REPORTED = vocabulary.NOT_REPORTED, vocabulary.STATUS_WORDS[vocabulary.NOT_REPORTED]


#: Status value meaning "there is a number".
HAS_NUMBER = vocabulary.HAS_NUMBER
STATUS_CHOICES = [(HAS_NUMBER, "Value"), *Missing.choices]


def number_xor_status(prefix: str, number_field: str = "number") -> models.CheckConstraint:
    """A figure is a number with no status, or no number with a status: never both, never
    neither."""
    return models.CheckConstraint(
        condition=(Q(**{f"{number_field}__isnull": False}) & Q(status=HAS_NUMBER))
        | (Q(**{f"{number_field}__isnull": True}) & ~Q(status=HAS_NUMBER)),
        name=f"{prefix}_number_xor_status",
    )


class PanelMonitoring(models.Model):
    """How a panel's performance data is read: the amber band a target's own band or the
    indicator's overrides, and the run length of the SPC charts. One row a panel, made when the
    panel is (see apps.py); `monitoring_of` reads it with the defaults for a panel without one."""

    panel = models.OneToOneField(
        Panel, on_delete=models.CASCADE, primary_key=True, related_name="monitoring"
    )
    default_amber_tolerance = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        default=5,
        help_text="Percent of the target by which a value may miss it and still be Amber.",
    )
    spc_run_length = models.PositiveSmallIntegerField(
        "SPC run length",
        choices=[(length, f"{length} points") for length in spc.RUN_LENGTHS],
        default=spc.DEFAULT_RUN_LENGTH,
        help_text="How many points in a row make a trend or a shift on the SPC charts.",
    )

    class Meta:
        verbose_name = "panel's monitoring settings"
        verbose_name_plural = "panels' monitoring settings"
        constraints = [
            models.CheckConstraint(
                condition=Q(spc_run_length__in=spc.RUN_LENGTHS), name="panel_spc_run_length_6_or_7"
            ),
            models.CheckConstraint(
                condition=Q(default_amber_tolerance__gte=0), name="panel_tolerance_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"Monitoring settings: {self.panel}"


def panel_saved(sender, instance: Panel, created: bool, raw: bool = False, **kwargs) -> None:
    """A new panel gets its monitoring settings with the defaults (not while loading fixtures,
    which carry their own)."""
    if created and not raw:
        PanelMonitoring.objects.get_or_create(panel=instance)


def monitoring_of(panel: Panel) -> PanelMonitoring:
    """The panel's monitoring settings; the defaults (unsaved) for a panel that has none yet.
    Reads `panel.monitoring`, so a query that lists panels selects it with them."""
    try:
        return panel.monitoring
    except PanelMonitoring.DoesNotExist:
        return PanelMonitoring(panel=panel)


class PriorityArea(models.Model):
    class Rating(models.TextChoices):
        HIGH = "high", "High"
        MEDIUM = "medium", "Medium"
        LOW = "low", "Low"
        NONE = "", "Not rated"

    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="priority_areas")
    name = models.CharField(max_length=200)
    order = models.PositiveSmallIntegerField(default=0)
    rating = models.CharField(
        max_length=10, choices=Rating.choices, blank=True, help_text="Level of concern."
    )
    indicators = models.ManyToManyField(
        "Indicator", through="AreaIndicator", related_name="shown_in_areas", blank=True
    )

    class Meta:
        ordering = ["panel", "order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["panel", "name"], name="area_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class IndicatorQuerySet(models.QuerySet):
    def for_panel(self, panel: Panel):
        """Active indicators of one panel, in dataset order."""
        return self.filter(panel=panel, is_active=True)

    def with_month_state(self, *, month):
        """Each indicator annotated with `month_state`: the state of its value of `month`
        (provisional, approved, published), or None when it has no value of that month."""
        state = Value.objects.filter(indicator=OuterRef("pk"), month=month).values("state")
        return self.annotate(month_state=Subquery(state[:1]))


class Indicator(models.Model):
    class OutturnType(models.TextChoices):
        NUMBER = vocabulary.NUMBER, "Number"
        PERCENTAGE = vocabulary.PERCENTAGE, "Percentage"
        RATE = vocabulary.RATE, "Rate per 10,000"

    class MeasureType(models.TextChoices):
        SNAPSHOT = vocabulary.SNAPSHOT, "Snapshot at month end"
        IN_MONTH = vocabulary.IN_MONTH, "In month"
        CUMULATIVE_YTD = vocabulary.CUMULATIVE_YTD, "Cumulative year to date"
        ROLLING_12M = vocabulary.ROLLING_12M, "Rolling 12 months"

    class Polarity(models.TextChoices):
        HIGHER = vocabulary.HIGHER, "Higher is better"
        LOWER = vocabulary.LOWER, "Lower is better"
        NONE = vocabulary.NO_POLARITY, "No polarity (context)"

    panel = models.ForeignKey(Panel, on_delete=models.PROTECT, related_name="indicators")
    priority_area = models.ForeignKey(
        PriorityArea,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="home_indicators",
        help_text="The area that owns the indicator; it may be shown in other areas' tables too.",
    )
    ref = models.CharField(max_length=20, blank=True, help_text='E.g. "M2-NI".')
    name = models.CharField(max_length=300)
    definition = models.TextField(blank=True)
    outturn_type = models.CharField(max_length=20, choices=OutturnType.choices)
    measure_type = models.CharField(
        max_length=20, choices=MeasureType.choices, default=MeasureType.SNAPSHOT
    )
    polarity = models.CharField(max_length=10, choices=Polarity.choices, default=Polarity.NONE)
    decimals = models.PositiveSmallIntegerField(default=0)
    owner = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="owned_indicators"
    )
    reporter = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="reported_indicators"
    )
    outcome = models.TextField(blank=True, help_text="What impact monitoring it will have.")
    amber_tolerance = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="Percent of the target; blank uses the panel's default.",
    )
    is_active = models.BooleanField(default=True)
    order = models.PositiveIntegerField(default=0)

    objects = IndicatorQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["panel", "order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["panel", "name"], name="indicator_unique_name"),
            models.UniqueConstraint(
                fields=["panel", "ref"], condition=~Q(ref=""), name="indicator_unique_ref"
            ),
            models.CheckConstraint(condition=Q(decimals__lte=4), name="indicator_decimals_max_4"),
            models.CheckConstraint(
                condition=Q(amber_tolerance__isnull=True) | Q(amber_tolerance__gte=0),
                name="indicator_tolerance_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ref} {self.name}".strip()

    def get_absolute_url(self) -> str:
        return reverse("indicators:detail", args=[self.pk])


class AreaIndicator(models.Model):
    """A row of a priority area's table. The council's tables repeat some indicators
    (re-referrals appear under two areas), so placement is separate from ownership."""

    priority_area = models.ForeignKey(PriorityArea, on_delete=models.CASCADE)
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["priority_area", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["priority_area", "indicator"], name="areaindicator_once_per_area"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.priority_area}: {self.indicator}"


class ValueQuerySet(models.QuerySet):
    def published(self):
        """Only values the public and panel members may see: what every public surface shows,
        whoever reads it (core.visibility.sees_unpublished_values)."""
        return self.filter(state=Value.State.PUBLISHED)

    def awaiting_publication(self, *, panel: Panel, month):
        """The values publishing `panel`'s `month` releases: its approved values."""
        return self.filter(indicator__panel=panel, month=month, state=Value.State.APPROVED)


class Value(models.Model):
    class State(models.TextChoices):
        PROVISIONAL = "provisional", "Provisional"
        APPROVED = "approved", "Approved"
        PUBLISHED = "published", "Published"

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    month = models.DateField(help_text="The first day of the month the value is for.")
    number = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    status = models.CharField(max_length=20, choices=STATUS_CHOICES, blank=True, default=HAS_NUMBER)
    numerator = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    denominator = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    state = models.CharField(max_length=20, choices=State.choices, default=State.PROVISIONAL)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    entered_at = models.DateTimeField(auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    revised = models.BooleanField(default=False, help_text="Changed after it was published.")

    objects = ValueQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["indicator", "month"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "month"], name="value_one_per_month"),
            number_xor_status("value"),
            models.CheckConstraint(condition=Q(month__day=1), name="value_month_is_first_day"),
            models.CheckConstraint(
                condition=Q(numerator__isnull=True, denominator__isnull=True)
                | Q(numerator__isnull=False, denominator__isnull=False, denominator__gt=0),
                name="value_numerator_with_positive_denominator",
            ),
            models.CheckConstraint(
                condition=~Q(state="published") | Q(published_at__isnull=False),
                name="value_published_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.month:%b-%y}: {self.display}"

    @property
    def display(self) -> str:
        if self.number is None:
            return self.get_status_display()
        return format(self.number.normalize(), "f")


class Publication(models.Model):
    """A month of a panel's dataset released to the public and panel members."""

    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="publications")
    month = models.DateField()
    published_at = models.DateTimeField()
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["panel", "-month"]
        constraints = [
            models.UniqueConstraint(fields=["panel", "month"], name="publication_once_per_month"),
            models.CheckConstraint(condition=Q(month__day=1), name="publication_month_first_day"),
        ]

    def __str__(self) -> str:
        return f"{self.panel} {self.month:%B %Y}"


class Target(models.Model):
    class Bound(models.TextChoices):
        BY_POLARITY = vocabulary.BY_POLARITY, "Met by polarity"
        LT = vocabulary.LT, "Below (<)"
        LE = vocabulary.LE, "At or below (≤)"
        GE = vocabulary.GE, "At or above (≥)"
        GT = vocabulary.GT, "Above (>)"

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets")
    year = models.PositiveSmallIntegerField(
        help_text="Financial year, by its first year: 2021 = 2021/22."
    )
    number = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    status = models.CharField(
        max_length=20,
        choices=[(HAS_NUMBER, "Value"), (Missing.TBC, "TBC")],
        blank=True,
        default=HAS_NUMBER,
    )
    bound = models.CharField(max_length=2, choices=Bound.choices, blank=True, default="")
    amber_tolerance = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["indicator", "year"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "year"], name="target_one_per_year"),
            number_xor_status("target"),
            models.CheckConstraint(
                condition=Q(status=HAS_NUMBER) | Q(bound=""), name="target_bound_needs_number"
            ),
        ]

    def __str__(self) -> str:
        shown = self.number if self.number is not None else "TBC"
        return f"{self.indicator} {self.year}: {self.bound}{shown}"


class Comparator(models.Model):
    class Kind(models.TextChoices):
        OWN = "own", "The council's own outturn"
        NEIGHBOURS = "neighbours", "Statistical neighbours"
        REGION = "region", "Region"
        NATIONAL = "national", "National"
        OTHER = "other", "Other"

    name = models.CharField(max_length=100, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class BenchmarkValue(models.Model):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="benchmarks")
    comparator = models.ForeignKey(Comparator, on_delete=models.PROTECT, related_name="values")
    year = models.PositiveSmallIntegerField(help_text="Financial year, by its first year.")
    number = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    status = models.CharField(max_length=20, choices=STATUS_CHOICES, blank=True, default=HAS_NUMBER)

    history = HistoricalRecords()

    class Meta:
        ordering = ["indicator", "comparator__order", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "comparator", "year"], name="benchmark_one_per_year"
            ),
            number_xor_status("benchmark"),
        ]

    def __str__(self) -> str:
        shown = self.number if self.number is not None else self.get_status_display()
        return f"{self.indicator} – {self.comparator} {self.year}: {shown}"


class Commentary(models.Model):
    """The analysis and next steps written for one month, for a priority area or an indicator."""

    priority_area = models.ForeignKey(
        PriorityArea, null=True, blank=True, on_delete=models.CASCADE, related_name="commentary"
    )
    indicator = models.ForeignKey(
        Indicator, null=True, blank=True, on_delete=models.CASCADE, related_name="commentary"
    )
    month = models.DateField()
    analysis = models.TextField(blank=True)
    actions = models.TextField(blank=True, help_text="Action/next steps: one a line.")
    state = models.CharField(
        max_length=20, choices=Value.State.choices, default=Value.State.PROVISIONAL
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["month"]
        verbose_name_plural = "commentary"
        constraints = [
            models.CheckConstraint(
                condition=Q(priority_area__isnull=True, indicator__isnull=False)
                | Q(priority_area__isnull=False, indicator__isnull=True),
                name="commentary_area_xor_indicator",
            ),
            models.CheckConstraint(condition=Q(month__day=1), name="commentary_month_first_day"),
            models.UniqueConstraint(
                fields=["priority_area", "month"],
                condition=Q(priority_area__isnull=False),
                name="commentary_one_per_area_month",
            ),
            models.UniqueConstraint(
                fields=["indicator", "month"],
                condition=Q(indicator__isnull=False),
                name="commentary_one_per_indicator_month",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.priority_area or self.indicator} {self.month:%B %Y}"

    @property
    def action_points(self) -> list[str]:
        lines = self.actions.splitlines()
        return [line.strip().lstrip("-•").strip() for line in lines if line.strip()]


class ValueRevision(models.Model):
    """A change to a published value: who made it, when, from what to what, and why.

    A published value changes only through `indicators.services.revise_value`, which writes one
    of these and sets `Value.revised`. The indicator page marks the months that have any.
    """

    value = models.ForeignKey(Value, on_delete=models.CASCADE, related_name="revisions")
    revised_at = models.DateTimeField(default=timezone.now)
    revised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    old_number = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    old_status = models.CharField(max_length=20, choices=STATUS_CHOICES, blank=True)
    new_number = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    new_status = models.CharField(max_length=20, choices=STATUS_CHOICES, blank=True)
    reason = models.TextField()

    class Meta:
        ordering = ["value", "revised_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="revision_reason_required"),
        ]

    def __str__(self) -> str:
        value = self.value
        return f"{value.indicator} {value.month:%b-%y}: {self.old_display} → {self.new_display}"

    @staticmethod
    def _display(number, status: str) -> str:
        if number is None:
            return dict(STATUS_CHOICES).get(status, status)
        return format(number.normalize(), "f")

    @property
    def old_display(self) -> str:
        return self._display(self.old_number, self.old_status)

    @property
    def new_display(self) -> str:
        return self._display(self.new_number, self.new_status)


class SpcBreak(models.Model):
    """A break a performance manager puts in an indicator's SPC chart, with the reason.

    A **baseline** fixes the limits on the months from the start of the chart (or the last
    rebase) up to and including `month`; they then apply to the months after it. A
    **rebase** recalculates the limits from `month`, the first month after a known change of
    system (the rules are in `indicators.rules.spc.spc`). Written by
    `indicators.services.save_spc_break`, which the admin calls; history is kept.
    """

    class Kind(models.TextChoices):
        BASELINE = spc.BASELINE, "Baseline: fix the limits on the months up to this one"
        REBASE = spc.REBASE, "Rebase: recalculate the limits from this month"

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="spc_breaks")
    month = models.DateField(
        help_text="A rebase: the first month after the change. A baseline: its last month."
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    reason = models.CharField(
        max_length=200,
        help_text=(
            'Completes "Limits recalculated from February 2022 after …", e.g. "the'
            ' case-system migration".'
        ),
    )
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["indicator", "month"]
        verbose_name = "SPC baseline or rebase"
        verbose_name_plural = "SPC baselines and rebases"
        constraints = [
            models.UniqueConstraint(fields=["indicator", "month"], name="spcbreak_once_per_month"),
            models.CheckConstraint(condition=Q(month__day=1), name="spcbreak_month_first_day"),
            models.CheckConstraint(
                condition=Q(kind__in=spc.SPC_BREAK_KINDS), name="spcbreak_kind_known"
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="spcbreak_reason_required"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator}: {self.get_kind_display().split(':')[0]} {self.month:%B %Y}"

    def as_rule(self) -> spc.SpcBreak:
        return spc.SpcBreak(self.month, self.kind, self.reason)


class Entry(PriorityArea):
    """The admin's door to the monthly entry screens (a proxy: no table of its own)."""

    class Meta:
        proxy = True
        verbose_name = "monthly data entry"
        verbose_name_plural = "monthly data entry"
