"""The product's roles as Django groups, with the model permissions each one needs.

Groups are (re)built after every migrate so a new model's permissions reach the roles without a
hand-written data migration.
"""

PANEL_MEMBER = "Panel member"
OFFICER = "Officer"
PERFORMANCE_MANAGER = "Performance manager"
SCRUTINY_MANAGER = "Scrutiny manager"

#: role -> {app_label: {model: actions}}
ROLE_PERMISSIONS: dict[str, dict[str, dict[str, tuple[str, ...]]]] = {
    PANEL_MEMBER: {
        "indicators": {"indicator": ("view",), "value": ("view",), "commentary": ("view",)},
        "meetings": {"meeting": ("view",), "agendaitem": ("view",), "minute": ("view",)},
        "recommendations": {
            "recommendation": ("view",),
            "recommendationupdate": ("view",),
            "question": ("view", "add"),
        },
    },
    OFFICER: {
        "indicators": {
            "indicator": ("view",),
            "value": ("view", "add", "change"),
            "commentary": ("view", "add", "change"),
            "target": ("view", "add", "change"),
            "benchmarkvalue": ("view", "add", "change"),
            "comparator": ("view",),
            "priorityarea": ("view",),
        },
        "recommendations": {
            "recommendation": ("view",),
            "recommendationupdate": ("view", "add", "change"),
            # Officers answer on the question's own page, which checks they own the indicator.
            "question": ("view",),
        },
    },
    PERFORMANCE_MANAGER: {
        "recommendations": {"question": ("view", "change")},
        "indicators": {
            model: ("view", "add", "change", "delete")
            for model in (
                "indicator",
                "value",
                "commentary",
                "target",
                "benchmarkvalue",
                "comparator",
                "priorityarea",
                "areaindicator",
                "publication",
                "spcbreak",
            )
        }
        # One row a panel, made with it: changed, never added or deleted by hand.
        | {"panelmonitoring": ("view", "change")},
    },
    SCRUTINY_MANAGER: {
        "meetings": {
            model: ("view", "add", "change", "delete")
            for model in (
                "panel",
                "person",
                "membership",
                "panelcontact",
                "meeting",
                "agendaitem",
                "agendadocument",
                "attendance",
                "declaration",
                "minute",
                "resolution",
                "workprogrammeitem",
            )
        },
        "recommendations": {
            model: ("view", "add", "change", "delete")
            for model in (
                "status",
                "recommendation",
                "recommendationupdate",
                "paneldecision",
                "question",
            )
        },
        "indicators": {"indicator": ("view",), "value": ("view",)},
    },
}


def ensure_roles(app_config=None, **kwargs) -> None:
    """Create each role's group and give it exactly the permissions listed above.

    As a post_migrate receiver it acts once, for the last installed app, by which time every
    app's permissions have been created.
    """
    from django.apps import apps as django_apps
    from django.contrib.auth.models import Group, Permission

    if app_config is not None and app_config != list(django_apps.get_app_configs())[-1]:
        return

    for role, apps in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        codenames = {
            (app, f"{action}_{model}")
            for app, models in apps.items()
            for model, actions in models.items()
            for action in actions
        }
        wanted = [
            p
            for p in Permission.objects.filter(
                content_type__app_label__in=list(apps)
            ).select_related("content_type")
            if (p.content_type.app_label, p.codename) in codenames
        ]
        group.permissions.set(wanted)
