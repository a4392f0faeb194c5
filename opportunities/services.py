"""Every write to an opportunity goes through one of these functions, which record history."""

from django.db import transaction

from crm.models import User
from opportunities.models import Opportunity, OpportunityChange, Pipeline, Stage


def default_pipeline() -> Pipeline | None:
    return Pipeline.objects.filter(is_default=True).first() or Pipeline.objects.first()


@transaction.atomic
def create_opportunity(*, by: User | None, stage: Stage, **fields) -> Opportunity:
    """Create an open deal in ``stage``; its probability defaults to the stage's."""
    fields.setdefault("probability", stage.probability)
    fields.setdefault("owner", by)
    if fields.get("owner") is not None:
        fields.setdefault("team", fields["owner"].team)
    opportunity = Opportunity.objects.create(pipeline=stage.pipeline, stage=stage, **fields)
    OpportunityChange.objects.create(
        opportunity=opportunity,
        field=OpportunityChange.Field.CREATED,
        new_value=stage.name,
        to_stage=stage,
        changed_by=by,
    )
    return opportunity
