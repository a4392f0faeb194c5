"""Stages of a pipeline that share an order are told apart before the order becomes unique.

The board reads a pipeline's stages by order, then by id: that is the order people see, and it
is kept. Walking the stages that way, a stage whose order is not above the one before it takes
the next number; a pipeline without ties is left as it is.
"""

from django.db import migrations


def renumber_ties(apps, schema_editor):
    Stage = apps.get_model("opportunities", "Stage")
    previous_pipeline, previous_order = None, None
    for stage in Stage.objects.order_by("pipeline_id", "order", "pk"):
        if stage.pipeline_id == previous_pipeline and stage.order <= previous_order:
            stage.order = previous_order + 1
            stage.save(update_fields=["order"])
        previous_pipeline, previous_order = stage.pipeline_id, stage.order


class Migration(migrations.Migration):
    dependencies = [("opportunities", "0009_owner_in_history")]

    operations = [migrations.RunPython(renumber_ties, migrations.RunPython.noop)]
