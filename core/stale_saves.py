"""Admin change forms never overwrite unseen what someone else saved after the page was opened.

The form carries, in a hidden field, a token of each part (by default each field) as it showed
it. When it is posted, the admin reads the record under a row lock (`RefusesStaleSaves.
get_object`: the admin's save runs in one transaction, so the lock holds until the save; the
form itself reads nothing), and each part is decided by the one rule,
`core.concurrency.outcome`: a part only this person changed is saved; a part only the other
person changed keeps theirs; a part both changed refuses the whole save, saying who saved it,
when, and what it now holds. The redrawn form carries the stored tokens for those parts, so that
saving again is a deliberate choice to replace theirs.

`RefusesStaleSaves` goes on a ModelAdmin or an inline; a form that needs more (parts saved
together, its own message) subclasses `StaleSaveForm` and is the admin's `form`.
"""

from __future__ import annotations

import json
from decimal import Decimal

from django import forms
from django.contrib.admin.utils import flatten_fieldsets
from django.db import models, router, transaction
from django.forms.models import InlineForeignKeyField
from django.utils import timezone
from django.utils.text import Truncator

from .concurrency import Outcome, digest, outcome

#: The hidden field holding the tokens of what the page showed.
SEEN = "seen"
MSG_SAVED_MEANWHILE = (
    "{what}: {who} saved this at {when}, after you opened this page; it is now “{now}”. "
    "Nothing on this page has been saved. Check your change against theirs and save again."
)
MSG_SUMMARY = (
    "Someone else saved part of this page after you opened it. Nothing on this page has been "
    "saved. Check these and save again:"
)
BLANK = "blank"


def last_change(obj) -> tuple[str, str]:
    """Who last saved `obj` and when, from its history, for a conflict message."""
    history = getattr(obj, "history", None)
    record = (
        history.select_related("history_user").order_by("-history_date").first()
        if history is not None
        else None
    )
    if record is None:
        return "Someone", "an unknown time"
    user = record.history_user
    who = (user.get_full_name() or user.get_username()) if user else "Someone"
    return who, timezone.localtime(record.history_date).strftime("%H:%M on %d/%m/%Y")


class StaleSaveForm(forms.ModelForm):
    """A ModelForm that refuses to overwrite, unseen, a change saved after it was drawn."""

    seen = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The record as stored now (when posted) or as this page shows it (when drawn).
        self._stored = {part: self._part_token(part, self.instance) for part in self.parts()}
        if self.instance.pk is not None:
            self.initial[SEEN] = json.dumps(self._stored)
        self.stale_saves: list[str] = []

    # -- what a form may change ---------------------------------------------------------------

    def parts(self) -> dict[str, tuple[str, ...]]:
        """The parts compared one by one: each model field the form edits, on its own."""
        opts = self._meta.model._meta
        editable = {f.name for f in opts.get_fields() if _is_editable(f)} - {opts.pk.name}
        return {
            name: (name,)
            for name, field in self.fields.items()
            if name in editable
            and not field.disabled
            and not isinstance(field, InlineForeignKeyField)  # the row's parent, fixed
        }

    def part_label(self, part: str) -> str:
        names = self.parts()[part]
        label = " and ".join(str(self.fields[name].label or name) for name in names)
        if self.prefix and self.instance.pk is not None and "__prefix__" not in self.prefix:
            return f"{self.instance}, {label}"
        return label

    def part_now(self, part: str, stored) -> str:
        """What the part holds now, in words."""
        return "; ".join(_shown(stored, name) for name in self.parts()[part])

    def stale_save_message(self, part: str, stored) -> str:
        who, when = last_change(stored)
        return MSG_SAVED_MEANWHILE.format(
            what=self.part_label(part), who=who, when=when, now=self.part_now(part, stored)
        )

    # -- the check ----------------------------------------------------------------------------

    def _part_token(self, part: str, instance) -> str:
        return digest(tuple(_stored_value(instance, name) for name in self.parts()[part]))

    def _sent_token(self, part: str) -> str:
        return digest(tuple(_sent_value(self.cleaned_data[name]) for name in self.parts()[part]))

    def _clean_form(self):
        # Before the form's own clean(), so that it checks what will be saved.
        self._settle_saves_made_meanwhile()
        super()._clean_form()

    def _settle_saves_made_meanwhile(self) -> None:
        seen = self._seen_tokens()
        if not seen or self.instance.pk is None:
            return
        conflicts = []
        for part, names in self.parts().items():
            if any(name not in self.cleaned_data for name in names):
                continue  # a field with an error of its own: that error is shown instead
            decided = outcome(
                seen=seen.get(part), stored=self._stored[part], sent=self._sent_token(part)
            )
            if decided is Outcome.KEEP_THEIRS:
                for name in names:
                    self.cleaned_data[name] = _current(self.instance, name)
            elif decided is Outcome.CONFLICT:
                conflicts.append(part)
        if not conflicts:
            return
        for part in conflicts:
            message = self.stale_save_message(part, self.instance)
            self.stale_saves.append(message)
            self.add_error(None, message)
            seen[part] = self._stored[part]
        # Redrawn with the stored tokens of the parts in conflict: saving again replaces theirs
        # on purpose. Parts that keep theirs keep the old token, so they keep theirs again.
        self.data = self.data.copy()
        self.data[self.add_prefix(SEEN)] = json.dumps(seen)

    def _seen_tokens(self) -> dict[str, str]:
        try:
            seen = json.loads(self.cleaned_data.get(SEEN) or "{}")
        except ValueError:
            return {}
        if not isinstance(seen, dict):
            return {}
        return {str(part): str(token) for part, token in seen.items()}


class RefusesStaleSaves:
    """On a ModelAdmin or an InlineModelAdmin: its change form is a `StaleSaveForm`."""

    def get_object(self, request, object_id, from_field=None):
        """A posted change reads its record again under a row lock: what is stored now is what
        the form compares, and no one can save it between the comparison and this save (the
        admin's change view runs in one transaction)."""
        obj = super().get_object(request, object_id, from_field)
        if obj is not None and _posted_in_transaction(request, type(obj)):
            obj = type(obj)._base_manager.select_for_update().filter(pk=obj.pk).first()
        return obj

    def get_formset_kwargs(self, request, obj, inline, prefix):
        # An inline's rows, read by its formset inside the change view's transaction, are
        # locked the same way.
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        rows = kwargs.get("queryset")
        locks = isinstance(inline, RefusesStaleSaves) and rows is not None
        if locks and _posted_in_transaction(request, inline.model):
            kwargs["queryset"] = rows.select_for_update(of=("self",))
        return kwargs

    def get_form(self, request, obj=None, change=False, **kwargs):
        kwargs["form"] = _checked(kwargs.get("form", self.form))
        return super().get_form(request, obj, change, **kwargs)

    def get_formset(self, request, obj=None, **kwargs):
        kwargs["form"] = _checked(kwargs.get("form", self.form))
        return super().get_formset(request, obj, **kwargs)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or not self.has_change_permission(request, obj):
            # Nothing to save: no token (and no empty "Seen" row among the read-only fields).
            return _without_seen(fieldsets)
        if SEEN in flatten_fieldsets(fieldsets):
            return fieldsets
        # The token must reach the page whatever fields the admin lists.
        (name, options), *rest = fieldsets
        return [(name, {**options, "fields": [*options["fields"], SEEN]}), *rest]

    def render_change_form(self, request, context, *args, **kwargs):
        # The main form's messages head the page already (its non-field errors); an inline
        # row's would be far down it, so they are summed up at the top too.
        messages = [
            message
            for inline in context.get("inline_admin_formsets", [])
            for form in inline.formset.forms
            for message in getattr(form, "stale_saves", [])
        ]
        if messages:
            context = {**context, "stale_saves": messages, "stale_saves_summary": MSG_SUMMARY}
        return super().render_change_form(request, context, *args, **kwargs)


def _posted_in_transaction(request, model) -> bool:
    using = router.db_for_write(model)
    return request.method == "POST" and transaction.get_connection(using).in_atomic_block


def _without_seen(fieldsets):
    def line(fields):
        if isinstance(fields, (list, tuple)):
            return type(fields)(name for name in fields if name != SEEN)
        return fields

    return [
        (name, {**options, "fields": [line(f) for f in options["fields"] if f != SEEN]})
        for name, options in fieldsets
    ]


_CHECKED: dict[type, type] = {}


def _checked(form_class: type) -> type:
    """`form_class` with the check, made once per class."""
    if issubclass(form_class, StaleSaveForm):
        return form_class
    if form_class not in _CHECKED:
        _CHECKED[form_class] = type(
            f"StaleSave{form_class.__name__}", (StaleSaveForm, form_class), {}
        )
    return _CHECKED[form_class]


def _is_editable(field) -> bool:
    return getattr(field, "editable", False) and (field.concrete or field.many_to_many)


def _stored_value(instance, name: str):
    field = instance._meta.get_field(name)
    if field.many_to_many:
        return [] if instance.pk is None else [item.pk for item in getattr(instance, name).all()]
    value = field.value_from_object(instance)
    if isinstance(value, models.fields.files.FieldFile):
        return value.name or ""
    return _microseconds_dropped(value)


def _sent_value(value):
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, (models.QuerySet, list, tuple)):
        return [item.pk if isinstance(item, models.Model) else item for item in value]
    if isinstance(value, models.fields.files.FieldFile):
        return value.name or ""
    if hasattr(value, "name") and hasattr(value, "read"):
        return f"upload:{value.name}"  # a new file is always a change
    return _microseconds_dropped(value)


def _microseconds_dropped(value):
    # Admin date-time widgets show whole seconds: what they send back has none.
    if hasattr(value, "microsecond") and hasattr(value, "replace"):
        return value.replace(microsecond=0)
    return value


def _current(instance, name: str):
    """The stored value of a field in the form a cleaned form field holds."""
    field = instance._meta.get_field(name)
    if field.many_to_many:
        return list(getattr(instance, name).all())
    return getattr(instance, name)


def _shown(instance, name: str) -> str:
    field = instance._meta.get_field(name)
    if field.many_to_many:
        items = [str(item) for item in getattr(instance, name).all()]
        return ", ".join(items) or BLANK
    value = getattr(instance, f"get_{name}_display")() if field.choices else getattr(instance, name)
    if value is None or value == "":
        return BLANK
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if hasattr(value, "tzinfo") and hasattr(value, "hour"):
        return timezone.localtime(value).strftime("%H:%M on %d/%m/%Y")
    if hasattr(value, "strftime"):
        return value.strftime("%d/%m/%Y")
    return Truncator(str(value)).chars(200)

