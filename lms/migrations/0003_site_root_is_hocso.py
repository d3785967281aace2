"""The page Wagtail creates at install ("Welcome to your new Wagtail site!") becomes HocSo's root: no placeholder
title is left in the admin's page tree, and lms.wagtail_hooks sends visitors of the bare root to the home page."""

from django.db import migrations

PLACEHOLDER = "Welcome to your new Wagtail site!"


def rename(apps, schema_editor):
    Page = apps.get_model("wagtailcore", "Page")
    Page.objects.filter(depth=2, title=PLACEHOLDER).update(title="HocSo", draft_title="HocSo", seo_title="")


class Migration(migrations.Migration):
    dependencies = [
        ("lms", "0002_time_zones_and_position_titles"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(rename, migrations.RunPython.noop)]
