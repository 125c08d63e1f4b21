"""Staff groups get comarques like municipalities: editors may add, change, view and delete
them; municipal editors may view them (see 0002_staff_groups)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GRANTS = {
    "Editors": ["add_comarca", "change_comarca", "view_comarca", "delete_comarca"],
    "Municipal editors": ["view_comarca"],
}


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GRANTS.items():
        group = Group.objects.filter(name=name).first()
        if group is None:
            continue
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="networks", codename__in=codenames)
        )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GRANTS.items():
        for group in Group.objects.filter(name=name):
            group.permissions.remove(
                *Permission.objects.filter(
                    content_type__app_label="networks", codename__in=codenames
                )
            )


class Migration(migrations.Migration):
    dependencies = [("networks", "0007_comarques")]

    operations = [migrations.RunPython(grant, revoke)]
