"""The 意见书 date now lives on its follow-up record (0003 moved it there)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("cases", "0012_opinion_letters_onto_follow_ups")]

    operations = [
        migrations.RemoveField(model_name="case", name="opinion_letter_received_on"),
        migrations.RemoveField(model_name="historicalcase", name="opinion_letter_received_on"),
    ]
