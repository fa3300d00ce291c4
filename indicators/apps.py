from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "indicators"
    verbose_name = "Performance indicators"

    def ready(self) -> None:
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from . import models
        from .caching import bump_dataset_version

        # Anything a cached performance page shows; a change to any of them drops the pages.
        for model in (
            models.Value,
            models.Target,
            models.BenchmarkValue,
            models.Commentary,
            models.Publication,
            models.Indicator,
            models.PriorityArea,
            models.AreaIndicator,
            models.Comparator,
            models.SpcBreak,
            models.PanelMonitoring,
        ):
            uid = f"indicators.cache.{model.__name__}"
            post_save.connect(bump_dataset_version, sender=model, dispatch_uid=uid + ".save")
            post_delete.connect(bump_dataset_version, sender=model, dispatch_uid=uid + ".delete")
        m2m_changed.connect(
            bump_dataset_version,
            sender=models.PriorityArea.indicators.through,
            dispatch_uid="indicators.cache.placements",
        )
        # Every panel has its monitoring settings: made with the defaults when the panel is.
        post_save.connect(
            models.panel_saved, sender=models.Panel, dispatch_uid="indicators.panel_monitoring"
        )
