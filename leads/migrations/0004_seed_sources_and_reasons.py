from django.db import migrations

# Codes are stable keys the app relies on (the web form uses "web", the CSV import "import").
SOURCES = [
    ("phone", "Phone call"),
    ("web", "Website form"),
    ("trade-show", "Trade show"),
    ("referral", "Referral"),
    ("import", "Import"),
    ("other", "Other"),
]

REASONS = [
    "No budget",
    "No need",
    "Not the decision maker",
    "Bought from a competitor",
    "Could not reach",
    "Spam or fake details",
    "Duplicate",
]


def seed(apps, schema_editor):
    LeadSource = apps.get_model("leads", "LeadSource")
    DisqualifyReason = apps.get_model("leads", "DisqualifyReason")
    for code, name in SOURCES:
        LeadSource.objects.get_or_create(code=code, defaults={"name": name})
    for name in REASONS:
        DisqualifyReason.objects.get_or_create(name=name)


class Migration(migrations.Migration):
    dependencies = [("leads", "0003_lead_import")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
