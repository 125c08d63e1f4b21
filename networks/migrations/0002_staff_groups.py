"""The two staff groups and their permissions (created here, never by hand).

- Editors: add, change and view all directory and plan content; delete it too, except
  plans. No user accounts, groups or municipal-editor profiles (superusers manage those).
- Municipal editors: view the content; add and change memberships and events, change
  scheduled years. The admin limits them to their own municipality's entries (see
  networks/admin_tools.py, MunicipalScopeMixin); the permissions here are the upper bound.

On a fresh database the permissions do not exist yet during ``migrate`` (Django creates
them after the last migration), so they are created first.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CONTENT = {
    "networks": [
        "theme",
        "municipality",
        "organisation",
        "network",
        "strategicline",
        "membership",
        "funder",
        "funding",
        "event",
    ],
    "actions": ["plan", "axis", "line", "action", "scheduledyear"],
}

EDITORS = "Editors"
MUNICIPAL_EDITORS = "Municipal editors"


def editor_codenames():
    for app_label, models in CONTENT.items():
        for model in models:
            for action in ("add", "change", "view", "delete"):
                if (app_label, model, action) == ("actions", "plan", "delete"):
                    continue  # plans are never deleted by editors
                yield app_label, f"{action}_{model}"


def municipal_editor_codenames():
    for app_label, models in CONTENT.items():
        for model in models:
            yield app_label, f"view_{model}"
    yield from [
        ("networks", "add_membership"),
        ("networks", "change_membership"),
        ("networks", "add_event"),
        ("networks", "change_event"),
        ("actions", "change_scheduledyear"),
    ]


def create_groups(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in (
        (EDITORS, editor_codenames()),
        (MUNICIPAL_EDITORS, municipal_editor_codenames()),
    ):
        group, _created = Group.objects.get_or_create(name=name)
        permissions = [
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
            for app_label, codename in codenames
        ]
        group.permissions.set(permissions)


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=[EDITORS, MUNICIPAL_EDITORS]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("networks", "0001_initial"),
        ("actions", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
