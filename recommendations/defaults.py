"""The statuses seen in the council's trackers, restored whenever the status table is empty.

Migration 0002 first wrote them; this also runs after `migrate` and after a test database is
flushed (both send post_migrate), so the tracker never runs without statuses. Admins may rename,
recolour or add statuses: nothing here runs while any status exists.
"""

#: name, slug, order, colour, complete, rejected, aliases (as in migration 0002)
DEFAULT_STATUSES = [
    ("In train", "in-train", 10, "blue", False, False, "In progress, Ongoing"),
    ("Partially complete", "partially-complete", 20, "yellow", False, False,
     "Part complete, Partially completed"),
    ("Not complete – within timescale", "not-complete-within-timescale", 30, "grey", False, False,
     "Not complete - within timescale, Not complete within timescale, Not complete"),
    ("Complete", "complete", 40, "green", True, False, "Completed, Done"),
    ("Rejected", "rejected", 50, "red", False, True, "Not accepted by the executive"),
]


def ensure_statuses(**kwargs) -> None:
    """Create the default statuses when there are none at all."""
    from .models import Status

    if Status.objects.exists():
        return
    Status.objects.bulk_create(
        Status(name=name, slug=slug, order=order, colour=colour, is_complete=complete,
               is_rejected=rejected, aliases=aliases)
        for name, slug, order, colour, complete, rejected, aliases in DEFAULT_STATUSES
    )
