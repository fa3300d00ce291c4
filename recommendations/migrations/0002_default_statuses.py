from django.db import migrations

# The statuses seen in the council's trackers; admins may add or rename them later.
DEFAULT_STATUSES = [
    # name, slug, order, colour, complete, rejected, aliases
    ("In train", "in-train", 10, "blue", False, False, "In progress, Ongoing"),
    ("Partially complete", "partially-complete", 20, "yellow", False, False, "Part complete, Partially completed"),
    ("Not complete – within timescale", "not-complete-within-timescale", 30, "grey", False, False,
     "Not complete - within timescale, Not complete within timescale, Not complete"),
    ("Complete", "complete", 40, "green", True, False, "Completed, Done"),
    ("Rejected", "rejected", 50, "red", False, True, "Not accepted by the executive"),
]


def add_statuses(apps, schema_editor):
    Status = apps.get_model("recommendations", "Status")
    for name, slug, order, colour, complete, rejected, aliases in DEFAULT_STATUSES:
        Status.objects.update_or_create(
            slug=slug,
            defaults={
                "name": name,
                "order": order,
                "colour": colour,
                "is_complete": complete,
                "is_rejected": rejected,
                "aliases": aliases,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("recommendations", "0001_initial")]
    operations = [migrations.RunPython(add_statuses, migrations.RunPython.noop)]
