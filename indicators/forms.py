"""Forms of the admin's monthly entry, targets, revision and import screens.

Forms only read what was typed (a figure such as "21%", "TBC" or "<36%" through
`validation.read_figure`); the rules about values live in `indicators.rules.validation` and are
applied by `indicators.services`.
"""

from __future__ import annotations

import zipfile
from datetime import date

from django import forms
from django.core.validators import FileExtensionValidator

from meetings.models import Panel

from .models import HAS_NUMBER, Indicator, Missing, Value
from .rules import validation
from .rules.concurrency import commentary_token, entry_token
from .rules.figures import figure_text
from .rules.vocabulary import NOT_REPORTED
from .services import CommentaryInput, EntryRow, Figure, TargetRow

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MSG_UPLOAD_TOO_LARGE = "The file is {size} MB; the limit is 10 MB."
MSG_UPLOAD_NOT_XLSX = (
    "The file is not an Excel workbook (.xlsx). Save it from Excel as “Excel Workbook (.xlsx)” "
    "and upload it again."
)
MSG_BOUND_IN_VALUE = "{indicator}, {month}: a monthly value has no bound; remove the “{bound}”."

STATUS_FIELD_CHOICES = [(HAS_NUMBER, "—"), *Missing.choices]


def _read(text: str, *, indicator, where: str):
    """A typed figure as a ParsedCell; None when blank; ValidationError naming where."""
    text = (text or "").strip()
    if not text:
        return None
    try:
        cell = validation.read_figure(text)
    except ValueError:
        raise forms.ValidationError(
            validation.MSG_UNREADABLE.format(indicator=indicator, month=where, text=text)
        ) from None
    if cell.number is not None and validation.too_large(cell.number):
        raise forms.ValidationError(
            validation.MSG_TOO_LARGE.format(indicator=indicator, month=where, value=text)
        )
    return None if cell.status == NOT_REPORTED and cell.number is None else cell


class EntryRowForm(forms.Form):
    """One indicator's value for the month: a figure (or a status word typed in it), or a
    status chosen from the list, with an optional numerator and denominator."""

    value = forms.CharField(required=False, max_length=40)
    status = forms.ChoiceField(required=False, choices=STATUS_FIELD_CHOICES)
    numerator = forms.DecimalField(required=False, max_digits=14, decimal_places=2)
    denominator = forms.DecimalField(required=False, max_digits=14, decimal_places=2)
    # The screen writes the value's current `entry_token` here itself (see EntryGrid), so a
    # page redrawn after a conflict carries the figure the other officer saved.
    seen = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)

    def __init__(self, *args, indicator: Indicator, month: date, readonly: bool = False, **kw):
        super().__init__(*args, **kw)
        self.indicator = indicator
        self.month = month
        self.readonly = readonly
        label = f"{indicator}, {validation.month_label(month)}"
        for name, words in (
            ("value", "Value"),
            ("status", "Status"),
            ("numerator", "Numerator"),
            ("denominator", "Denominator"),
        ):
            field = self.fields[name]
            field.label = f"{words} for {label}"
            field.widget.attrs["aria-label"] = field.label
            if readonly:
                field.disabled = True
        self.fields["value"].widget.attrs.update({"size": 8, "inputmode": "decimal"})
        for name in ("numerator", "denominator"):
            self.fields[name].widget.attrs.update({"size": 6, "step": "any"})

    def clean_value(self):
        return _read(
            self.cleaned_data.get("value"),
            indicator=self.indicator,
            where=validation.month_label(self.month),
        )

    def clean(self):
        data = super().clean()
        cell = data.get("value")
        if cell is not None and cell.bound:
            raise forms.ValidationError(
                MSG_BOUND_IN_VALUE.format(
                    indicator=self.indicator,
                    month=validation.month_label(self.month),
                    bound=cell.bound,
                )
            )
        return data

    def to_row(self) -> EntryRow:
        data = self.cleaned_data
        cell = data.get("value")
        status = data.get("status") or HAS_NUMBER
        number = None
        if cell is not None:
            number = cell.number
            if cell.status and not status:
                status = cell.status
        return EntryRow(
            indicator=self.indicator,
            number=number,
            status=status,
            numerator=data.get("numerator"),
            denominator=data.get("denominator"),
            seen=data.get("seen") or None,
        )


def entry_initial(value) -> dict:
    if value is None:
        return {}
    return {
        "value": validation.show(value.number) if value.number is not None else "",
        "status": value.status,
        "numerator": value.numerator,
        "denominator": value.denominator,
    }


class CommentaryForm(forms.Form):
    analysis = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 5, "cols": 80}), label="Analysis"
    )
    actions = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 5, "cols": 80}),
        label="Action/next steps",
        help_text="One action a line.",
    )
    seen = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)

    def to_input(self) -> CommentaryInput:
        return CommentaryInput(
            analysis=self.cleaned_data.get("analysis", ""),
            actions=self.cleaned_data.get("actions", ""),
            seen=self.cleaned_data.get("seen") or None,
        )


class ConfirmWarningsForm(forms.Form):
    confirm = forms.BooleanField(
        required=False, label="I have checked the values with warnings and they are right"
    )
    reason = forms.CharField(
        required=False,
        max_length=100,
        label="Reason (kept in the values' history)",
        widget=forms.TextInput(attrs={"size": 60}),
    )


class ReviseForm(forms.Form):
    value = forms.CharField(required=False, max_length=40, label="New value")
    status = forms.ChoiceField(required=False, choices=STATUS_FIELD_CHOICES, label="Or a status")
    reason = forms.CharField(
        max_length=500,
        label="Reason for the revision",
        help_text="Shown in the history: why the published value changes.",
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
    )

    def __init__(self, *args, value, **kwargs):
        super().__init__(*args, **kwargs)
        self.value_obj = value

    def clean_value(self):
        month = validation.month_label(self.value_obj.month)
        cell = _read(
            self.cleaned_data.get("value"), indicator=self.value_obj.indicator, where=month
        )
        if cell is not None and cell.bound:
            raise forms.ValidationError(
                MSG_BOUND_IN_VALUE.format(
                    indicator=self.value_obj.indicator, month=month, bound=cell.bound
                )
            )
        return cell

    def figure(self) -> tuple:
        cell = self.cleaned_data.get("value")
        status = self.cleaned_data.get("status") or HAS_NUMBER
        if cell is None:
            return None, status
        return cell.number, status or cell.status


class TargetRowForm(forms.Form):
    """An indicator's target for the year and one field per comparator's benchmark."""

    target = forms.CharField(required=False, max_length=40)
    # Written by the screen itself from the stored figures (see EntryRowForm.seen).
    seen = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)

    def __init__(self, *args, indicator: Indicator, comparators, year_label: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicator = indicator
        self.comparators = list(comparators)
        self.fields["target"].label = f"Target for {indicator}, {year_label}"
        self.fields["target"].widget.attrs.update(
            {"size": 7, "aria-label": self.fields["target"].label}
        )
        for comparator in self.comparators:
            name = f"c{comparator.pk}"
            label = f"{comparator} for {indicator}, {year_label}"
            self.fields[name] = forms.CharField(
                required=False,
                max_length=40,
                label=label,
                widget=forms.TextInput(attrs={"size": 6, "aria-label": label}),
            )

    def benchmark_fields(self):
        return [self[f"c{c.pk}"] for c in self.comparators]

    def clean_target(self):
        cell = _read(self.cleaned_data.get("target"), indicator=self.indicator, where="target")
        if cell is not None and cell.status not in (HAS_NUMBER, Missing.TBC):
            raise forms.ValidationError(
                validation.MSG_TARGET_STATUS.format(indicator=self.indicator)
            )
        return cell

    def clean(self):
        data = super().clean()
        for comparator in self.comparators:
            name = f"c{comparator.pk}"
            if name in self.errors:
                continue
            try:
                data[name] = _read(
                    self.data.get(self.add_prefix(name), ""),
                    indicator=self.indicator,
                    where=str(comparator),
                )
            except forms.ValidationError as error:
                self.add_error(name, error)
        return data

    def to_row(self) -> TargetRow:
        data = self.cleaned_data
        target = data.get("target")
        benchmarks = {}
        for comparator in self.comparators:
            cell = data.get(f"c{comparator.pk}")
            benchmarks[comparator.pk] = (
                None if cell is None else Figure(number=cell.number, status=cell.status)
            )
        return TargetRow(
            indicator=self.indicator,
            target=None
            if target is None
            else Figure(number=target.number, status=target.status, bound=target.bound),
            benchmarks=benchmarks,
            seen=data.get("seen") or None,
        )


def target_initial(*, target, benchmarks: dict[int, object]) -> dict:
    initial = {}
    if target is not None:
        initial["target"] = figure_text(
            number=target.number, status=target.status, bound=target.bound
        )
    for comparator_id, bench in benchmarks.items():
        initial[f"c{comparator_id}"] = figure_text(number=bench.number, status=bench.status)
    return initial


class ImportUploadForm(forms.Form):
    panel = forms.ModelChoiceField(queryset=Panel.objects.all(), empty_label=None)
    file = forms.FileField(
        label="Workbook (.xlsx, at most 10 MB)",
        validators=[FileExtensionValidator(["xlsx"], message=MSG_UPLOAD_NOT_XLSX)],
    )
    publish = forms.BooleanField(required=False, label="Approve and publish the months it imports")
    reason = forms.CharField(
        required=False,
        max_length=500,
        label="Reason for any revision of published values",
        widget=forms.TextInput(attrs={"size": 60}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                MSG_UPLOAD_TOO_LARGE.format(size=round(upload.size / 1024 / 1024, 1))
            )
        if not zipfile.is_zipfile(upload):
            raise forms.ValidationError(MSG_UPLOAD_NOT_XLSX)
        upload.seek(0)
        return upload


class EntryGrid:
    """The entry screen's forms: one `EntryRowForm` per indicator (published values read-only),
    the area's commentary and the confirmation of warnings. Rows are keyed by indicator id so
    the issues a service raises land beside the row they are about."""

    def __init__(
        self, *, indicators, month: date, values: dict, commentary, previous: dict, data=None
    ):
        self.month = month
        self.rows = []
        for indicator in indicators:
            value = values.get(indicator.pk)
            readonly = value is not None and value.state == Value.State.PUBLISHED
            form = EntryRowForm(
                None if readonly else data,
                prefix=f"i{indicator.pk}",
                indicator=indicator,
                month=month,
                readonly=readonly,
                initial=entry_initial(value),
            )
            self.rows.append(
                {
                    "indicator": indicator,
                    "value": value,
                    "form": form,
                    "previous": previous.get(indicator.pk),
                    "token": entry_token(value),
                    "issues": [],
                }
            )
        initial = {}
        if commentary is not None:
            initial = {"analysis": commentary.analysis, "actions": commentary.actions}
        self.commentary = CommentaryForm(data, prefix="commentary", initial=initial)
        self.commentary_state = commentary.state if commentary is not None else ""
        self.commentary_token = commentary_token(commentary)
        self.confirm = ConfirmWarningsForm(data, prefix="confirm")
        self.issues = []
        self.warnings = []

    def editable_forms(self):
        return [row["form"] for row in self.rows if not row["form"].readonly]

    def is_valid(self) -> bool:
        forms_ok = [form.is_valid() for form in self.editable_forms()]
        return all(forms_ok) and self.commentary.is_valid() and self.confirm.is_valid()

    def entry_rows(self) -> list[EntryRow]:
        return [form.to_row() for form in self.editable_forms()]

    def form_errors(self) -> list[str]:
        errors = []
        for form in self.editable_forms():
            for field_errors in form.errors.values():
                errors.extend(field_errors)
        return errors

    def add_issues(self, issues) -> None:
        """Attach a service's issues to their rows (by indicator id), the rest to the page."""
        by_key = {row["indicator"].pk: row for row in self.rows}
        for issue in issues:
            row = by_key.get(issue.key)
            if row is not None:
                # Beside its row the message need not name the indicator and month again.
                prefix = f"{row['indicator']}, {validation.month_label(self.month)}: "
                text = issue.message.removeprefix(prefix)
                row["issues"].append(
                    {"is_error": issue.is_error, "message": text[:1].upper() + text[1:]}
                )
            if issue.is_error:
                self.issues.append(issue)
            else:
                self.warnings.append(issue)
