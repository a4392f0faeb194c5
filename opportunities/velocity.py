"""What a deal's page says of its stage: how deals that were in it went on, from their history
(``OpportunityChange``). The velocity report (``reports.velocity``) reads the same figures per
stage over a period."""

from django.core.cache import cache
from django.db.models import Avg, Count, F, Q
from django.db.models.functions import TruncDate

from crm.models import User
from infra.expressions import DaysBetween, ratio
from opportunities.models import Opportunity, OpportunityChange, Stage

WON_DEAL = Q(opportunity__status=Opportunity.Status.WON)
CLOSED_DEAL = Q(opportunity__status__in=[Opportunity.Status.WON, Opportunity.Status.LOST])


def outcome_figures() -> dict:
    return {
        "won_deals": Count("opportunity", distinct=True, filter=WON_DEAL),
        "closed_deals": Count("opportunity", distinct=True, filter=CLOSED_DEAL),
        "win_chance": ratio(
            Count("opportunity", distinct=True, filter=WON_DEAL),
            Count("opportunity", distinct=True, filter=CLOSED_DEAL),
        ),
        "days_to_close": Avg(
            DaysBetween(F("opportunity__closed_date"), TruncDate("changed_at")), filter=WON_DEAL
        ),
    }


def stage_velocity(stage: Stage, *, user: User) -> dict:
    """From ``stage``, over the deals ``user`` may see: how many days won deals usually took
    from entering it to closing (``days_to_close``), the share of closed ones that were won
    (``win_chance``) and how many closed deals that rests on (``closed_deals``)."""
    changes = OpportunityChange.objects.filter(
        opportunity__in=Opportunity.objects.visible_to(user).values("pk"),
        field__in=OpportunityChange.ENTERS_STAGE,
        to_stage=stage,
    )
    return changes.aggregate(**outcome_figures())


# The note on a deal's page reads the whole visible history of a stage; it changes slowly, so
# it is kept for a while rather than recomputed on every page view.
STAGE_VELOCITY_SECONDS = 60 * 60


def cached_stage_velocity(stage: Stage, *, user: User) -> dict:
    """``stage_velocity`` for ``user``'s scope, kept in the cache for an hour."""
    scope = "all" if user.is_admin else f"user-{user.pk}"
    key = f"stage-velocity:{stage.pk}:{scope}"
    return cache.get_or_set(key, lambda: stage_velocity(stage, user=user), STAGE_VELOCITY_SECONDS)
