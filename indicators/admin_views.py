"""The admin's custom screens for the monthly dataset (mounted by `indicators.admin`):

- /admin/indicators/entry/ — the choice of area and month (the admin index links here);
- /admin/indicators/entry/<area_id>/<YYYY-MM>/ — one area's month: values and commentary;
- /admin/indicators/entry/<area_id>/targets/<year>/ — the area's targets and benchmarks;
- /admin/indicators/entry/month/<panel_slug>/<YYYY-MM>/ — approve a month;
- /admin/indicators/entry/month/<panel_slug>/<YYYY-MM>/publish/ — check, then publish it;
- /admin/indicators/value/<pk>/revise/ — revise a published value;
- /admin/indicators/entry/import/ — upload a workbook, preview, confirm.

Each view parses the request, makes one service call and renders; reads are in the helpers
below and in `indicators.permissions`.
"""

from __future__ import annotations

from datetime import date

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Max
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone

from core import params, upload_stash
from meetings.models import Panel

from . import permissions, selectors, services
from .forms import EntryGrid, ImportUploadForm, ReviseForm, TargetRowForm, target_initial
from .models import BenchmarkValue, Commentary, Comparator, Entry, PriorityArea, Target, Value
from .rules import calendar, concurrency, validation
from .rules.calendar import add_months, financial_year, financial_year_label
from .services import import_plan
from .workbook import reading

MONTHS_OFFERED = 6
MSG_SAVED = "{area}, {month}: {created} added, {changed} changed, {unchanged} unchanged."
MSG_SAVED_WARNINGS = " {count} warning(s) confirmed: “{reason}”."
MSG_TARGETS_SAVED = "{area}, {year}: targets and benchmarks of {changed} indicator(s) changed."
MSG_APPROVED = "{count} value(s) approved for {month}."
MSG_PUBLISHED = "{panel}, {month} published: {count} value(s) now public."
MSG_LEFT_PROVISIONAL = " {count} provisional value(s) were not published: {names}."
MSG_REVISED = "{indicator}, {month} revised from {old} to {new}."


def parse_month(text: str) -> date:
    month = params.parse_month(text)
    if month is None:
        raise Http404("A month is written YYYY-MM.")
    return month


def month_slug(month: date) -> str:
    return f"{month:%Y-%m}"


def _context(request, title: str, **extra) -> dict:
    return {
        **admin.site.each_context(request),
        "opts": Entry._meta,
        "title": title,
        **extra,
    }


def recent_months(*, today: date, count: int = MONTHS_OFFERED) -> list[date]:
    """The current month and the ones before it, newest first."""
    current = today.replace(day=1)
    return [add_months(month=current, count=-back) for back in range(count)]


# --- The choice of area and month ---------------------------------------------------------


def entry_index(request):
    """Each area the user may enter, with its recent months (values entered of how many)."""
    if not permissions.can_enter_data(request.user):
        raise PermissionDenied
    if request.GET.get("area") and request.GET.get("month"):
        return _jump(request)
    indicators = permissions.editable_indicators(request.user).filter(is_active=True)
    latest = Value.objects.filter(indicator__in=indicators).aggregate(m=Max("month"))["m"]
    today = timezone.localdate()
    if latest is not None:
        today = min(today, add_months(month=latest, count=1))
    months = recent_months(today=today)
    areas = list(
        permissions.editable_areas(request.user)
        .select_related("panel")
        .annotate(indicator_count=Count("home_indicators", distinct=True))
    )
    entered = {
        (row["indicator__priority_area"], row["month"]): row["n"]
        for row in Value.objects.filter(indicator__in=indicators, month__in=months)
        .values("indicator__priority_area", "month")
        .annotate(n=Count("pk"))
    }
    rows = [
        {
            "area": area,
            "months": [
                {"month": m, "slug": month_slug(m), "entered": entered.get((area.pk, m), 0)}
                for m in months
            ],
        }
        for area in areas
    ]
    panels = list(Panel.objects.filter(priority_areas__in=areas).distinct())
    context = _context(
        request,
        "Monthly data entry",
        rows=rows,
        months=months,
        panels=panels,
        month_slugs=[(m, month_slug(m)) for m in months],
        is_performance_manager=permissions.is_performance_manager(request.user),
    )
    return TemplateResponse(request, "admin/indicators/entry_index.html", context)


def _jump(request):
    """The index's "another month" form: go to the chosen area's month screen."""
    area_id = params.parse_int(request.GET["area"], minimum=1, maximum=params.ID_MAX)
    if area_id is None:
        raise Http404("No such priority area.")
    month = parse_month(request.GET["month"])
    url = reverse("admin:indicators_entry_month", args=[area_id, month_slug(month)])
    return HttpResponseRedirect(url)


# --- One area's month ------------------------------------------------------------------------


def _entry_grid(request, area: PriorityArea, month: date) -> EntryGrid:
    indicators = list(
        services.area_indicators(area).filter(
            pk__in=permissions.editable_indicators(request.user).values("pk")
        )
    )
    previous_month = calendar.previous_month(month=month)
    values, previous = {}, {}
    for value in Value.objects.filter(indicator__in=indicators, month__in=[month, previous_month]):
        (values if value.month == month else previous)[value.indicator_id] = value
    commentary = Commentary.objects.filter(priority_area=area, month=month).first()
    return EntryGrid(
        indicators=indicators,
        month=month,
        values=values,
        previous=previous,
        commentary=commentary,
        data=request.POST if request.method == "POST" else None,
    )


def entry_month(request, area_id: int, month: str):
    """One priority area's month: every editable indicator's value and the commentary, saved
    in one go by `services.save_month`."""
    area = get_object_or_404(PriorityArea.objects.select_related("panel"), pk=area_id)
    month = parse_month(month)
    if not permissions.can_enter_data(request.user) or not permissions.can_edit_area(
        request.user, area
    ):
        raise PermissionDenied(permissions.MSG_NOT_YOUR_AREA.format(area=area))
    grid = _entry_grid(request, area, month)
    if request.method == "POST" and grid.is_valid():
        try:
            result = services.save_month(
                user=request.user,
                area=area,
                month=month,
                rows=grid.entry_rows(),
                commentary=grid.commentary.to_input(),
                confirm_warnings=grid.confirm.cleaned_data["confirm"],
                warning_reason=grid.confirm.cleaned_data["reason"],
            )
        except (services.Rejected, services.NeedsConfirmation) as caught:
            grid.add_issues(caught.issues)
        else:
            _saved_message(request, area, month, result, grid.confirm.cleaned_data["reason"])
            return HttpResponseRedirect(request.path)
    return TemplateResponse(
        request, "admin/indicators/entry_month.html", _month_context(request, area, month, grid)
    )


def _saved_message(request, area, month, result, reason: str) -> None:
    text = MSG_SAVED.format(
        area=area,
        month=validation.month_label(month),
        created=result.created,
        changed=result.changed,
        unchanged=result.unchanged,
    )
    if result.warnings:
        text += MSG_SAVED_WARNINGS.format(count=len(result.warnings), reason=reason)
    messages.success(request, text)


def _month_context(request, area, month, grid) -> dict:
    today = timezone.localdate()
    following = add_months(month=month, count=1)
    errors = grid.form_errors() + [issue.text for issue in grid.issues]
    return _context(
        request,
        f"{area}: {validation.month_label(month)}",
        area=area,
        month=month,
        grid=grid,
        errors=errors,
        warnings=[issue.text for issue in grid.warnings],
        previous_slug=month_slug(calendar.previous_month(month=month)),
        next_slug=month_slug(following) if following <= today else "",
        year=financial_year(month=month),
        is_performance_manager=permissions.is_performance_manager(request.user),
        month_slug=month_slug(month),
    )


# --- Targets and benchmarks ------------------------------------------------------------------


def entry_targets(request, area_id: int, year: int):
    """The area's targets and benchmarks for one financial year, saved by
    `services.save_targets` in one go."""
    area = get_object_or_404(PriorityArea.objects.select_related("panel"), pk=area_id)
    if not permissions.can_enter_data(request.user) or not permissions.can_edit_area(
        request.user, area
    ):
        raise PermissionDenied(permissions.MSG_NOT_YOUR_AREA.format(area=area))
    indicators = list(
        services.area_indicators(area).filter(
            pk__in=permissions.editable_indicators(request.user).values("pk")
        )
    )
    comparators = list(Comparator.objects.all())
    targets = {
        t.indicator_id: t for t in Target.objects.filter(indicator__in=indicators, year=year)
    }
    benchmarks: dict[int, dict[int, BenchmarkValue]] = {}
    for bench in BenchmarkValue.objects.filter(indicator__in=indicators, year=year):
        benchmarks.setdefault(bench.indicator_id, {})[bench.comparator_id] = bench
    year_label = financial_year_label(year=year)
    data = request.POST if request.method == "POST" else None
    forms = [
        TargetRowForm(
            data,
            prefix=f"i{indicator.pk}",
            indicator=indicator,
            comparators=comparators,
            year_label=year_label,
            initial=target_initial(
                target=targets.get(indicator.pk), benchmarks=benchmarks.get(indicator.pk, {})
            ),
        )
        for indicator in indicators
    ]
    for form in forms:
        form.stored_token = concurrency.targets_token(
            target=targets.get(form.indicator.pk),
            benchmarks=benchmarks.get(form.indicator.pk, {}),
        )
    errors: list[str] = []
    if data is not None and all([form.is_valid() for form in forms]):
        try:
            result = services.save_targets(
                user=request.user, area=area, year=year, rows=[form.to_row() for form in forms]
            )
        except services.Rejected as caught:
            errors = list(caught.messages)
        else:
            messages.success(
                request,
                MSG_TARGETS_SAVED.format(area=area, year=year_label, changed=result.changed),
            )
            return HttpResponseRedirect(request.path)
    for form in forms:
        for field_errors in form.errors.values():
            errors.extend(field_errors)
    today = timezone.localdate()
    context = _context(
        request,
        f"{area}: targets and benchmarks {year_label}",
        area=area,
        year=year,
        year_label=year_label,
        forms=forms,
        comparators=comparators,
        errors=errors,
        previous_year=year - 1,
        next_year=year + 1,
        entry_month_slug=month_slug(min(today.replace(day=1), date(year + 1, 3, 1))),
    )
    return TemplateResponse(request, "admin/indicators/entry_targets.html", context)


# --- Approve and publish a month ------------------------------------------------------------


def month_status(request, panel_slug: str, month: str):
    """A panel's month for the performance manager: every value with its state, approve all
    provisional values, and the way to publish the month (through its check, `publish_month`:
    nothing is published from here)."""
    if not permissions.is_performance_manager(request.user):
        raise PermissionDenied(permissions.MSG_NOT_PUBLISHER)
    panel = get_object_or_404(Panel, slug=panel_slug)
    month = parse_month(month)
    values = Value.objects.filter(indicator__panel=panel, month=month)
    if request.method == "POST":
        label = validation.month_label(month)
        if request.POST.get("action") != "approve":
            return HttpResponseRedirect(_publish_url(panel, month))
        try:
            count = services.approve_values(
                user=request.user, values=values.filter(state=Value.State.PROVISIONAL)
            )
            messages.success(request, MSG_APPROVED.format(count=count, month=label))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return HttpResponseRedirect(request.path)
    rows = list(
        values.select_related(
            "indicator", "indicator__priority_area", "entered_by", "approved_by"
        ).order_by("indicator__priority_area__order", "indicator__order", "indicator__name")
    )
    counts = {state: 0 for state in Value.State.values}
    for value in rows:
        counts[value.state] += 1
    context = _context(
        request,
        f"{panel}: {validation.month_label(month)}",
        panel=panel,
        month=month,
        rows=rows,
        counts=[(Value.State(state).label, n) for state, n in counts.items()],
        provisional=counts[Value.State.PROVISIONAL],
        approved=counts[Value.State.APPROVED],
        publication=panel.publications.filter(month=month).first(),
        previous_slug=month_slug(calendar.previous_month(month=month)),
        next_slug=month_slug(add_months(month=month, count=1)),
        publish_url=_publish_url(panel, month),
    )
    return TemplateResponse(request, "admin/indicators/month_status.html", context)


def _publish_url(panel, month: date) -> str:
    return reverse("admin:indicators_entry_publish", args=[panel.slug, month_slug(month)])


def publish_month(request, panel_slug: str, month: str):
    """Check your answers, then publish (GOV.UK pattern): every value the month releases, as
    the public will see it, and how complete the month will be; the confirmation posts back
    the check's token and `services.publish_month` publishes exactly what was shown."""
    if not permissions.is_performance_manager(request.user):
        raise PermissionDenied(permissions.MSG_NOT_PUBLISHER)
    panel = get_object_or_404(Panel, slug=panel_slug)
    month = parse_month(month)
    errors: list[str] = []
    if request.method == "POST":
        try:
            result = services.publish_month(
                user=request.user, panel=panel, month=month, seen=request.POST.get("token", "")
            )
        except ValidationError as error:
            errors = list(error.messages)
        else:
            label = validation.month_label(month)
            messages.success(request, _published_message(panel, label, result))
            return HttpResponseRedirect(
                reverse("admin:indicators_entry_month_status", args=[panel.slug, month_slug(month)])
            )
    check = selectors.publish_check(panel=panel, month=month)
    context = _context(
        request,
        f"Check before you publish: {panel}, {validation.month_label(month)}",
        panel=panel,
        month=month,
        month_label=validation.month_label(month),
        check=check,
        errors=errors,
        nothing=services.MSG_NOTHING_TO_PUBLISH.format(
            panel=panel, month=validation.month_label(month)
        ),
        status_url=reverse(
            "admin:indicators_entry_month_status", args=[panel.slug, month_slug(month)]
        ),
    )
    return TemplateResponse(request, "admin/indicators/publish_check.html", context)


def _published_message(panel, label: str, result: services.PublishResult) -> str:
    text = MSG_PUBLISHED.format(panel=panel, month=label, count=result.published)
    if result.left_provisional:
        names = "; ".join(str(v.indicator) for v in result.left_provisional)
        text += MSG_LEFT_PROVISIONAL.format(count=len(result.left_provisional), names=names)
    return text


# --- Revise a published value -----------------------------------------------------------------


def _version_figure(request, value: Value) -> dict:
    """The figure of the version of `value` named by ?version= (a revert from its history)."""
    version_id = request.GET.get("version", "")
    if not version_id:
        return {}
    history_id = params.parse_int(version_id, minimum=1, maximum=params.ID_MAX)
    if history_id is None:
        raise Http404
    version = get_object_or_404(value.history, history_id=history_id)
    number = "" if version.number is None else format(version.number.normalize(), "f")
    return {"value": number, "status": version.status}


def revise_value(request, value_id: int):
    """A performance manager changes a published value, with a reason (`services.revise_value`)."""
    if not permissions.is_performance_manager(request.user):
        raise PermissionDenied(permissions.MSG_NOT_REVISER)
    value = get_object_or_404(Value.objects.select_related("indicator"), pk=value_id)
    form = ReviseForm(request.POST or None, value=value, initial=_version_figure(request, value))
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        number, status = form.figure()
        old = value.display
        try:
            services.revise_value(
                user=request.user,
                value=value,
                number=number,
                status=status,
                reason=form.cleaned_data["reason"],
            )
        except services.Rejected as caught:
            errors = list(caught.messages)
        else:
            value.refresh_from_db()
            messages.success(
                request,
                MSG_REVISED.format(
                    indicator=value.indicator,
                    month=validation.month_label(value.month),
                    old=old,
                    new=value.display,
                ),
            )
            return HttpResponseRedirect(reverse("admin:indicators_value_change", args=[value.pk]))
    context = _context(
        request,
        f"Revise {value.indicator}, {validation.month_label(value.month)}",
        value=value,
        form=form,
        errors=errors,
        revisions=value.revisions.select_related("revised_by"),
        opts=Value._meta,
    )
    return TemplateResponse(request, "admin/indicators/revise_value.html", context)


# --- Import ----------------------------------------------------------------------------------

IMPORT_SESSION_KEY = "indicator_imports"
PREVIEW_ROWS = 500
MSG_IMPORT_EXPIRED = "The upload has expired or was already imported; upload the file again."
MSG_IMPORTED = (
    "{name} imported into {panel}: {created} created, {changed} changed, {revised} revised, "
    "{unchanged} unchanged."
)
MSG_IMPORT_PUBLISHED = " Published: {months}."


def _store_upload(request, data: bytes, *, panel, publish: bool, reason: str, name: str) -> str:
    """Keep the upload in the shared stash (`core.upload_stash`), its token in the session."""
    token = upload_stash.stash(data=data)
    pending = request.session.get(IMPORT_SESSION_KEY, {})
    pending[token] = {"panel": panel.pk, "publish": publish, "reason": reason, "name": name}
    request.session[IMPORT_SESSION_KEY] = pending
    return token


def _take_upload(request, token: str) -> tuple[dict, bytes] | None:
    """The session's upload of that token, or None when it has expired or was imported."""
    pending = request.session.get(IMPORT_SESSION_KEY, {})
    if token not in pending:
        return None
    data = upload_stash.take(token=token)
    if data is None:
        return None
    return pending[token], data


def _forget_upload(request, token: str) -> None:
    pending = request.session.get(IMPORT_SESSION_KEY, {})
    pending.pop(token, None)
    request.session[IMPORT_SESSION_KEY] = pending
    upload_stash.forget(token=token)


def import_workbook(request):
    """Upload → preview (what is created, changed, left alone; errors and warnings by sheet,
    row and column) → confirm (the stored upload is read and validated again, then written by
    `services.import_workbook`)."""
    if not permissions.is_performance_manager(request.user):
        raise PermissionDenied(permissions.MSG_NOT_IMPORTER)
    if request.method == "POST" and "confirm" in request.POST:
        return _confirm_import(request)
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    plan, refused, token = None, "", ""
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read()
        try:
            workbook = reading.read_workbook(data)
        except reading.ImportRefused as error:
            refused = error.message
        else:
            plan = import_plan.plan_import(
                panel=form.cleaned_data["panel"],
                workbook=workbook,
                can_revise=True,
                revision_reason=form.cleaned_data["reason"],
            )
            if not plan.errors and plan.has_changes:
                token = _store_upload(
                    request,
                    data,
                    panel=form.cleaned_data["panel"],
                    publish=form.cleaned_data["publish"],
                    reason=form.cleaned_data["reason"],
                    name=upload.name,
                )
    return _render_import(request, form=form, plan=plan, refused=refused, token=token)


def _render_import(request, *, form, plan=None, refused="", token=""):
    """The import screen; a refused upload (the form, the file, or errors in its rows) is
    answered 400 with its messages, as the tracker upload is: nothing was stored or written."""
    bad = bool(refused) or bool(plan and plan.errors) or (form.is_bound and not form.is_valid())
    context = _context(
        request,
        "Import a workbook",
        form=form,
        plan=plan,
        refused=refused,
        token=token,
        changes=plan.changes[:PREVIEW_ROWS] if plan else [],
        more=max(0, len(plan.changes) - PREVIEW_ROWS) if plan else 0,
        counts=_plan_counts(plan) if plan else {},
    )
    return TemplateResponse(
        request, "admin/indicators/import.html", context, status=400 if bad else 200
    )


def _plan_counts(plan) -> dict:
    return {
        "create": plan.count(import_plan.CREATE),
        "change": plan.count(import_plan.CHANGE),
        "revise": plan.count(import_plan.REVISE),
        "unchanged": plan.unchanged,
        "indicators": len(plan.new_indicators),
    }


def _confirm_import(request):
    token = request.POST.get("token", "")
    found = _take_upload(request, token)
    if found is None:
        _forget_upload(request, token)
        messages.error(request, MSG_IMPORT_EXPIRED)
        return HttpResponseRedirect(reverse("admin:indicators_entry_import"))
    pending, data = found
    panel = get_object_or_404(Panel, pk=pending["panel"])
    try:
        plan, result = services.import_workbook(
            user=request.user,
            panel=panel,
            source=data,
            publish=pending["publish"],
            revision_reason=pending["reason"],
        )
    except reading.ImportRefused as error:
        _forget_upload(request, token)
        return _render_import(request, form=ImportUploadForm(), refused=error.message)
    if result is None:
        _forget_upload(request, token)
        return _render_import(request, form=ImportUploadForm(), plan=plan)
    _forget_upload(request, token)
    text = MSG_IMPORTED.format(
        name=pending["name"],
        panel=panel,
        created=result.created,
        changed=result.changed,
        revised=result.revised,
        unchanged=result.unchanged,
    )
    if result.published_months:
        months = ", ".join(validation.month_label(m) for m in result.published_months)
        text += MSG_IMPORT_PUBLISHED.format(months=months)
    messages.success(request, text)
    return HttpResponseRedirect(reverse("admin:indicators_value_changelist"))
