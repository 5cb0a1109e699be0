"""The viewers and operators groups (DESIGN.md 10)."""

from django.db import migrations


def create_groups(apps, schema_editor):
    group = apps.get_model("auth", "Group")
    for name in ("viewers", "operators"):
        group.objects.get_or_create(name=name)


class Migration(migrations.Migration):
    dependencies = [("dashboard", "0001_initial"), ("auth", "0012_alter_user_first_name_max_length")]

    operations = [migrations.RunPython(create_groups, migrations.RunPython.noop)]
