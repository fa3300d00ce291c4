"""The import's bulk SQL: rows inserted with executemany, with their history rows."""

from __future__ import annotations

from functools import partial

from django.db import connection, models
from simple_history.utils import bulk_update_with_history

_FK_FIELDS = ["indicator", "comparator", "entered_by", "approved_by", "value", "revised_by"]


def clean_for_bulk(obj) -> None:
    """Field checks before a bulk write. Foreign keys were resolved by the plan (checking each
    would cost a query a row) and the database enforces the constraints; the rules of
    `indicators.rules.validation` ran on the whole file before the first write."""
    obj.clean_fields(exclude=_FK_FIELDS)


def _converter(field):
    """What turns an attribute into a database parameter: only dates, times and decimals need
    anything (the ORM's per-value preparation is what makes bulk_create slow)."""
    ops = connection.ops
    if isinstance(field, models.DateTimeField):
        return ops.adapt_datetimefield_value
    if isinstance(field, models.DateField):
        return ops.adapt_datefield_value
    if isinstance(field, models.DecimalField):
        return partial(
            ops.adapt_decimalfield_value,
            max_digits=field.max_digits,
            decimal_places=field.decimal_places,
        )
    return None


def _executemany(model, fields, params) -> None:
    """Insert rows fast: PostgreSQL's COPY, elsewhere multi-row INSERTs of as many rows as the
    database takes parameters."""
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    columns = ", ".join(quote(f.column) for f in fields)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for line in params:
                    copy.write_row(line)
            return
        one = "({})".format(", ".join(["%s"] * len(fields)))
        size = max(1, min(500, (connection.features.max_query_params or 30000) // len(fields)))
        for start in range(0, len(params), size):
            batch = params[start : start + size]
            sql = f"INSERT INTO {table} ({columns}) VALUES " + ", ".join([one] * len(batch))
            cursor.execute(sql, [p for line in batch for p in line])


def insert_with_history(model, rows: list[dict], *, key: tuple[str, ...], user, reason, now):
    """Create rows (dicts by attname; unset fields take their defaults) and a "+" history
    record for each: two executemany INSERTs and one SELECT for the new ids (found by `key`,
    columns unique together). The same rows as `simple_history.utils.bulk_create_with_history`
    writes, several times faster: with the ORM, the second allowed for 250 indicators × 12
    months goes on building model instances and compiling SQL."""
    fields = [f for f in model._meta.concrete_fields if not isinstance(f, models.AutoField)]
    names = [f.attname for f in fields]
    defaults = [now if getattr(f, "auto_now_add", False) else f.get_default() for f in fields]
    converters = [_converter(f) for f in fields]
    caches: list[dict] = [{} for _ in fields]

    def prepared(index: int, item):
        convert = converters[index]
        if convert is None or item is None:
            return item
        cache = caches[index]
        if item not in cache:
            cache[item] = convert(item)
        return cache[item]

    lines = [
        [prepared(i, row.get(name, defaults[i])) for i, name in enumerate(names)] for row in rows
    ]
    _executemany(model, fields, lines)
    first = {row[key[0]] for row in rows}
    ids = {
        tuple(found[1:]): found[0]
        for found in model._default_manager.filter(**{f"{key[0]}__in": first}).values_list(
            "pk", *key
        )
    }
    history_model = model.history.model
    history_fields = [
        f for f in history_model._meta.concrete_fields if not isinstance(f, models.AutoField)
    ]
    prepared_now = _converter(history_model._meta.get_field("history_date"))(now)
    extra = {
        "history_date": prepared_now,
        "history_change_reason": reason,
        "history_type": "+",
        "history_user_id": getattr(user, "pk", None),
    }
    index_of = {name: i for i, name in enumerate(names)}
    plan = [(index_of.get(f.attname), extra.get(f.attname), f.attname) for f in history_fields]
    history_lines = []
    for row, line in zip(rows, lines, strict=True):
        pk = ids[tuple(row[k] for k in key)]
        history_lines.append(
            [
                pk if name == "id" else (line[i] if i is not None else constant)
                for i, constant, name in plan
            ]
        )
    _executemany(history_model, history_fields, history_lines)


def write_figures(writes, *, model, make, bound: bool, user, reason: str, key, now) -> None:
    """Create (fast, with history) or update (bulk, with history) targets or benchmarks."""
    creates, updates = [], []
    for write in writes:
        cell = write.cell
        if write.existing is None:
            row = {**make(write), "number": cell.number, "status": cell.status}
            if bound:
                row["bound"] = cell.bound
            creates.append(row)
            continue
        obj = write.existing
        obj.number = cell.number
        obj.status = cell.status
        if bound:
            obj.bound = cell.bound
        clean_for_bulk(obj)
        updates.append(obj)
    if creates:
        insert_with_history(model, creates, key=key, user=user, reason=reason, now=now)
    if updates:
        fields = ["number", "status", "bound"] if bound else ["number", "status"]
        bulk_update_with_history(
            updates, model, fields, default_user=user, default_change_reason=reason
        )
