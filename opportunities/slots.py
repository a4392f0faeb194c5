"""The activity part of a board card, as a region activity forms open in (see
``activities.slots``)."""

from django.urls import reverse

from activities.models import with_activity_badges
from activities.slots import Slot
from opportunities.models import Opportunity


def _card_context(request, record) -> dict:
    visible = Opportunity.objects.visible_to(request.user)
    return {"opportunity": with_activity_badges(visible).select_related("owner").get(pk=record.pk)}


CARD = Slot(
    name="card",
    template="includes/card_activity_slot.html",
    element_id=lambda record: f"card-activity-{record.pk}",
    url=lambda record: f"{reverse('activities:card')}?opportunity={record.pk}",
    context=_card_context,
    kinds=("opportunity",),
)
