from django.apps import AppConfig


class RecommendationsConfig(AppConfig):
    name = "recommendations"
    verbose_name = "Recommendations tracker"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        # The parts of the indicator and meeting pages the tracker and its questions fill.
        from . import page_parts  # noqa: F401
        from .defaults import ensure_statuses
        from .questions import page_parts as question_parts  # noqa: F401

        post_migrate.connect(ensure_statuses, sender=self, dispatch_uid="recommendations.statuses")
