from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("dashboard", "0006_exposure_order_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="job",
            name="qa_reasons",
            field=models.JSONField(
                blank=True,
                default=dict,
                help_text="metric key → why it is UNKNOWN (or its ALARM)",
            ),
        ),
    ]
