from django.apps import AppConfig


class ScrutinyConfig(AppConfig):
    name = "scrutiny"
    verbose_name = "Scrutiny"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from core.roles import ensure_roles

        # Runs after every app's post_migrate so that all permissions exist (see ensure_roles).
        post_migrate.connect(ensure_roles, dispatch_uid="scrutiny.ensure_roles")
