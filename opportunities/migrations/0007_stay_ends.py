"""The end of each stay in a stage, written on the row that began it.

The velocity report looked the end up for every stay, three index probes each (370,000 stays
a year for a large company's admin). A stay now ends when the next stage or status change is
recorded (``opportunities.services``); this migration records the ends of the history so far,
with the same rule: the deal's first stage or status change after the entry.

Not atomic: the columns are added at once (no default to write), then the ends are written in
batches of deals, each its own transaction, so that the history table is never locked for the
whole backfill (37 s at a million rows) and the running release keeps moving deals meanwhile.
Rows that already have an end are left alone, so an interrupted run can simply be run again.
"""

from django.db import migrations, models
from django.db.models import Case, Max, OuterRef, Q, Subquery, Value, When

ENTERS_STAGE = ["created", "stage"]
ENDS_STAY = ["stage", "status"]
DEALS_PER_BATCH = 5_000


def record_stay_ends(apps, schema_editor):
    Change = apps.get_model("opportunities", "OpportunityChange")
    following = (
        Change.objects.filter(opportunity=OuterRef("opportunity"), field__in=ENDS_STAY)
        .filter(
            Q(changed_at__gt=OuterRef("changed_at"))
            | Q(changed_at=OuterRef("changed_at"), pk__gt=OuterRef("pk"))
        )
        .order_by("changed_at", "pk")
    )
    moves_on = Case(
        When(Q(field="stage") | Q(field="status", new_value="won"), then=Value(True)),
        default=Value(False),
        output_field=models.BooleanField(),
    )
    stays = Change.objects.filter(field__in=ENTERS_STAGE, left_at__isnull=True)
    last = stays.aggregate(last=Max("opportunity_id"))["last"] or 0
    for first in range(0, last + 1, DEALS_PER_BATCH):
        stays.filter(opportunity__gte=first, opportunity__lt=first + DEALS_PER_BATCH).update(
            left_at=Subquery(following.values("changed_at")[:1]),
            moved_on=Subquery(following.annotate(moves_on=moves_on).values("moves_on")[:1]),
        )


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("opportunities", "0006_stay_end_index")]

    operations = [
        migrations.AddField(
            model_name="opportunitychange",
            name="left_at",
            field=models.DateTimeField(
                blank=True, editable=False, null=True, verbose_name="left at"
            ),
        ),
        migrations.AddField(
            model_name="opportunitychange",
            name="moved_on",
            field=models.BooleanField(
                blank=True, editable=False, null=True, verbose_name="moved on"
            ),
        ),
        migrations.RunPython(record_stay_ends, migrations.RunPython.noop, elidable=True),
    ]
