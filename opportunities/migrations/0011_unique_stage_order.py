from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("opportunities", "0010_renumber_tied_stages")]

    operations = [
        migrations.AddConstraint(
            model_name="stage",
            constraint=models.UniqueConstraint(
                fields=("pipeline", "order"), name="unique_stage_order"
            ),
        ),
    ]
