"""An activity's attempts combine into one result per competency, by a grading method (default: highest)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("h5p", "0007_statement_json_only_in_the_store")]

    operations = [
        migrations.AddField(
            model_name="h5pactivity",
            name="grading_method",
            field=models.CharField(
                choices=[
                    ("highest", "Highest attempt"),
                    ("last", "Last attempt"),
                    ("average", "Average of attempts"),
                    ("first", "First attempt"),
                ],
                default="highest",
                help_text=(
                    "Repeated attempts count as one result for each competency, combined this way: "
                    "a reload or a second try never adds weight."
                ),
                max_length=10,
                verbose_name="score across attempts",
            ),
        ),
    ]
