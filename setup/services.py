"""Every write of the settings pages: one function per change, atomic.

What they change is read by every report (stage names, orders and categories, the lists deals
and leads are grouped by, who is in which team, which decides whose figures a manager sees):
each change retires the cached figures (``infra.report_cache``).
"""

from django.db import transaction
from django.db.models import Case, Max, ProtectedError, Value, When
from django.utils.translation import gettext as _

from crm.models import Team, User
from crm.models.reference import ReferenceItem
from crm.security_log import Kind, record
from infra.report_cache import figures_changed
from opportunities.models import Pipeline, Stage
from opportunities.services import follow_stage_probability, move_opportunity

# What a stage's form may change; its place changes through reorder_stages and move_stage.
STAGE_FIELDS = frozenset({"name", "probability", "forecast_category", "stale_after_days"})
# The largest order a stage may have (a PositiveSmallIntegerField).
LAST_ORDER = 32767


class SetupError(ValueError):
    """A change that the settings as they are now do not allow; nothing was written."""


@transaction.atomic
def create_pipeline(*, name: str) -> Pipeline:
    """A new pipeline, after the others; the first one made is the default."""
    last = Pipeline.objects.aggregate(last=Max("order"))["last"]
    pipeline = Pipeline.objects.create(name=name, order=(last or 0) + 1, is_default=last is None)
    figures_changed()
    return pipeline


@transaction.atomic
def rename(record: Pipeline | ReferenceItem, *, name: str) -> None:
    """Rename a pipeline or an entry of a reference list; the records keep pointing at it."""
    record.name = name
    record.save(update_fields=["name"])
    figures_changed()


def _locked_stages(pipeline: Pipeline) -> list[Stage]:
    """The pipeline's stages in board order, with the pipeline locked until the transaction
    ends, so that two changes of its stages apply one after the other."""
    Pipeline.objects.select_for_update().get(pk=pipeline.pk)
    return list(Stage.objects.filter(pipeline=pipeline).order_by("order", "pk"))


def _place(stages: list[Stage]) -> None:
    """Number ``stages`` (all of one pipeline's) 1, 2, 3... in the order given.

    Two updates, so that no two stages ever share an order, which the database refuses at
    once (a unique constraint is checked row by row): first every stage to a number that
    nobody holds and that none will take, then each to its place.
    """
    if [stage.order for stage in stages] == list(range(1, len(stages) + 1)):
        return
    held = {stage.order for stage in stages}
    free = (n for n in range(len(stages) + 1, LAST_ORDER + 1) if n not in held)
    aside = dict(zip((stage.pk for stage in stages), free, strict=False))
    places = {stage.pk: place for place, stage in enumerate(stages, start=1)}
    for numbers in (aside, places):
        Stage.objects.filter(pk__in=list(numbers)).update(
            order=Case(*(When(pk=pk, then=Value(n)) for pk, n in numbers.items()))
        )
    for stage in stages:
        stage.order = places[stage.pk]


@transaction.atomic
def add_stage(pipeline: Pipeline, *, name: str, **fields) -> Stage:
    """A new stage at the end of ``pipeline``."""
    unknown = set(fields) - STAGE_FIELDS
    if unknown:
        raise TypeError(f"Cannot set {', '.join(sorted(unknown))} here.")
    stages = _locked_stages(pipeline)
    _place(stages)
    stage = Stage.objects.create(pipeline=pipeline, name=name, order=len(stages) + 1, **fields)
    figures_changed()
    return stage


@transaction.atomic
def update_stage(stage: Stage, *, by: User, **changes) -> int:
    """Save a stage's edited ``changes``; return how many open deals took its new probability
    (those whose probability follows their stage's)."""
    unknown = set(changes) - STAGE_FIELDS
    if unknown:
        raise TypeError(f"Cannot edit {', '.join(sorted(unknown))} here.")
    new_probability = "probability" in changes and changes["probability"] != stage.probability
    for name, value in changes.items():
        setattr(stage, name, value)
    stage.save(update_fields=sorted(changes))
    followed = follow_stage_probability(stage, by=by) if new_probability else 0
    figures_changed()
    return followed


@transaction.atomic
def reorder_stages(pipeline: Pipeline, *, stage_ids: list[int]) -> list[Stage]:
    """Put the stages of ``pipeline`` in the order of ``stage_ids``, numbered from 1.

    ``stage_ids`` must name each stage of the pipeline once: a list drawn before a stage was
    added or deleted is refused, rather than leave that stage out of the order.
    """
    stages = _locked_stages(pipeline)
    by_id = {stage.pk: stage for stage in stages}
    if sorted(stage_ids) != sorted(by_id):
        raise SetupError(
            _("The stages changed while you were moving them; here they are as they are now.")
        )
    ordered = [by_id[pk] for pk in stage_ids]
    _place(ordered)
    figures_changed()
    return ordered


@transaction.atomic
def move_stage(stage: Stage, *, step: int) -> list[Stage]:
    """Move ``stage`` ``step`` places later (earlier when negative), no further than either
    end; return the pipeline's stages in their new order."""
    stages = _locked_stages(stage.pipeline)
    place = next(index for index, other in enumerate(stages) if other.pk == stage.pk)
    stages.insert(max(0, place + step), stages.pop(place))
    _place(stages)
    figures_changed()
    return stages


@transaction.atomic
def move_open_deals(stage: Stage, *, to: Stage, by: User) -> int:
    """Move every open deal of ``stage`` to ``to``, another stage of the pipeline, each as a
    move on the board is (history, probability); return how many moved."""
    if to.pipeline_id != stage.pipeline_id or to.pk == stage.pk:
        raise SetupError(_("Choose another stage of the same pipeline."))
    deals = list(stage.opportunities.open().select_for_update().order_by("pk"))
    for deal in deals:
        move_opportunity(deal, stage=to, by=by)
    return len(deals)


@transaction.atomic
def delete_stage(stage: Stage) -> None:
    """Delete a stage that no deal is at (a deal's stage is protected). The stages after it
    keep their numbers."""
    try:
        stage.delete()
    except ProtectedError:
        raise SetupError(
            _("Deals are at this stage: it can be deleted once it has none.")
        ) from None
    figures_changed()


@transaction.atomic
def add_reference_item(model: type[ReferenceItem], *, name: str) -> ReferenceItem:
    item = model.new(name)
    item.save()
    figures_changed()
    return item


@transaction.atomic
def set_active(item: ReferenceItem, *, active: bool) -> None:
    """Offer ``item`` in pickers again, or stop offering it; the records that have it keep it."""
    item.is_active = active
    item.save(update_fields=["is_active"])
    figures_changed()


@transaction.atomic
def add_member(team: Team, *, user: User, by: User | None = None) -> None:
    """Put ``user``, who is in no team, in ``team``."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.team_id is not None:
        raise SetupError(
            _("%(name)s is in the %(team)s team already.") % {"name": user, "team": user.team}
        )
    user.team = team
    user.save(update_fields=["team"])
    record(Kind.RIGHTS_CHANGED, actor=by, target=user, changes={"team": [None, team.pk]})
    figures_changed()  # the team's manager now sees this user's records


@transaction.atomic
def remove_member(team: Team, *, user: User, by: User | None = None) -> None:
    """Take ``user`` out of ``team``. Their records stay filed under the team."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.team_id != team.pk:
        raise SetupError(_("%(name)s is not in this team any more.") % {"name": user})
    user.team = None
    user.save(update_fields=["team"])
    record(Kind.RIGHTS_CHANGED, actor=by, target=user, changes={"team": [team.pk, None]})
    figures_changed()
