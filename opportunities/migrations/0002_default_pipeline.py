from django.db import migrations

STAGES = [
    # name, probability, forecast category, stale after days
    ("Qualification", 10, "pipeline", 14),
    ("Needs analysis", 20, "pipeline", 14),
    ("Proposal preparation", 40, "best_case", 10),
    ("Contract negotiation", 70, "commit", 7),
]

LOST_REASONS = ["Price", "Competitor", "No budget", "No decision", "Timing", "Product fit"]


def seed(apps, schema_editor):
    Pipeline = apps.get_model("opportunities", "Pipeline")
    Stage = apps.get_model("opportunities", "Stage")
    LostReason = apps.get_model("opportunities", "LostReason")
    if not Pipeline.objects.exists():
        pipeline = Pipeline.objects.create(name="New business", is_default=True, order=1)
        for order, (name, probability, category, stale) in enumerate(STAGES, start=1):
            Stage.objects.create(
                pipeline=pipeline,
                name=name,
                order=order,
                probability=probability,
                forecast_category=category,
                stale_after_days=stale,
            )
    for name in LOST_REASONS:
        LostReason.objects.get_or_create(name=name)


class Migration(migrations.Migration):
    dependencies = [("opportunities", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
