# The lists' default order (-received_on, -id) over active cases, for national and
# provincial lists (issue 17).

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("cases", "0013_remove_case_opinion_letter_received_on"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                condition=models.Q(("archived_at__isnull", True)),
                fields=["received_on", "id"],
                name="case_active_received_idx",
            ),
        ),
    ]
