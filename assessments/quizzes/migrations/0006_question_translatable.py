"""Questions become translatable (Wagtail's locale and translation_key); their ``language`` becomes the locale.

Each existing question becomes the original of its own translation group, in the locale of its language.
"""

import uuid

import django.db.models.deletion
from django.db import migrations, models


def _locales_from_language(apps, schema_editor):
    Question = apps.get_model("quizzes", "Question")
    Locale = apps.get_model("wagtailcore", "Locale")
    locales = {}
    for question in Question.objects.order_by("pk").only("pk", "language"):
        code = question.language or "vi"
        if code not in locales:
            locales[code], _created = Locale.objects.get_or_create(language_code=code)
        Question.objects.filter(pk=question.pk).update(locale=locales[code], translation_key=uuid.uuid4())


def _language_from_locales(apps, schema_editor):
    Question = apps.get_model("quizzes", "Question")
    for question in Question.objects.select_related("locale").only("pk", "locale__language_code"):
        Question.objects.filter(pk=question.pk).update(language=question.locale.language_code)


class Migration(migrations.Migration):
    dependencies = [
        ("quizzes", "0005_bands"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        migrations.AddField(
            model_name="question",
            name="locale",
            field=models.ForeignKey(
                null=True,
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="wagtailcore.locale",
                verbose_name="locale",
            ),
        ),
        migrations.AddField(
            model_name="question",
            name="translation_key",
            field=models.UUIDField(null=True, editable=False),
        ),
        migrations.RunPython(_locales_from_language, _language_from_locales),
        migrations.AlterField(
            model_name="question",
            name="locale",
            field=models.ForeignKey(
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="wagtailcore.locale",
                verbose_name="locale",
            ),
        ),
        migrations.AlterField(
            model_name="question",
            name="translation_key",
            field=models.UUIDField(default=uuid.uuid4, editable=False),
        ),
        migrations.AlterUniqueTogether(
            name="question",
            unique_together={("translation_key", "locale")},
        ),
        # A default, so that undoing the removal on a filled table works (the reverse step then sets each row).
        migrations.AlterField(
            model_name="question",
            name="language",
            field=models.CharField(
                choices=[("vi", "Tiếng Việt"), ("en", "English")], default="vi", max_length=5, verbose_name="language"
            ),
        ),
        migrations.RemoveField(
            model_name="question",
            name="language",
        ),
    ]
