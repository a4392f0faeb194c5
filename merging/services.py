"""Merging two records of one kind: the survivor keeps its own values, takes the other's where
its own are empty, and takes everything that pointed at the other (deals, contacts,
activities, history, conversions, the changes of its fields); the other is deleted and its
address kept as a redirect."""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from activities.services import add_note
from audit.context import working_as
from audit.models import Channel, FieldChange
from crm.models import Company, Contact, User
from crm.security_log import Kind, record
from infra.report_cache import figures_changed
from leads.models import Lead
from merging.models import MergedRecord

# What can be merged, by the name the URLs use.
KINDS: dict[str, type[models.Model]] = {"company": Company, "contact": Contact, "lead": Lead}
# Never copied from the other record: who it is, when it was made, and what the app derives.
KEPT = {"id", "version", "created_at", "updated_at"}


@dataclass
class Merge:
    survivor: models.Model
    filled: list[str] = field(default_factory=list)  # the survivor's fields taken from the other
    moved: dict[str, int] = field(default_factory=dict)  # rows moved, by their kind's name


def may_merge(user: User) -> bool:
    """Merging rewrites other people's records: managers and admins only."""
    return user.is_admin or user.is_manager


def _check(survivor, other, *, by: User) -> None:
    if type(survivor) is not type(other) or type(survivor) not in KINDS.values():
        raise ValidationError(_("Only two records of the same kind can be merged."))
    if survivor.pk == other.pk:
        raise ValidationError(_("A record cannot be merged with itself."))
    if not may_merge(by):
        raise ValidationError(_("Only managers and administrators merge records."))
    model = type(survivor)
    if model.objects.visible_to(by).filter(pk__in=[survivor.pk, other.pk]).count() != 2:
        raise ValidationError(_("You can only merge records you can see."))
    if isinstance(survivor, Lead):
        if survivor.is_converted and other.is_converted:
            raise ValidationError(
                _("Both leads were converted: merge the contacts they became instead.")
            )
        if other.is_converted:
            raise ValidationError(
                _("%(other)s was converted: keep it, and merge the other lead into it.")
                % {"other": other}
            )


def _is_empty(value) -> bool:
    return value is None or value == ""


def _fill(survivor, other) -> list[str]:
    """Copy into ``survivor`` what only ``other`` has; notes are kept from both."""
    filled = []
    for model_field in type(survivor)._meta.concrete_fields:
        name = model_field.attname
        if (
            name in KEPT
            or model_field.primary_key
            or isinstance(model_field, models.GeneratedField)
            or not model_field.editable
        ):
            continue
        mine, theirs = getattr(survivor, name), getattr(other, name)
        if _is_empty(theirs):
            continue
        if name == "notes" and not _is_empty(mine) and mine != theirs:
            setattr(survivor, name, f"{mine}\n\n{theirs}")
            filled.append(model_field.name)
        elif _is_empty(mine):
            setattr(survivor, name, theirs)
            filled.append(model_field.name)
    return filled


def _move_related(survivor, other) -> dict[str, int]:
    """Point every row that pointed at ``other`` at ``survivor``; each moved row's version is
    raised, so a form opened on it before the merge is refused rather than undoing the move."""
    moved = {}
    for relation in type(survivor)._meta.related_objects:
        if not (relation.one_to_many or relation.one_to_one):
            continue
        related = relation.related_model._base_manager
        name = relation.field.name
        rows = related.filter(**{name: other})
        if relation.one_to_one and related.filter(**{name: survivor}).exists():
            # The survivor has its own (a lead's conversion is checked before): the other's
            # follows the other record's deletion rule.
            continue
        changes = {name: survivor}
        if any(f.name == "version" for f in relation.related_model._meta.concrete_fields):
            changes["version"] = F("version") + 1
        count = rows.update(**changes)
        if count:
            label = str(relation.related_model._meta.verbose_name_plural)
            moved[label] = moved.get(label, 0) + count
    return moved


@transaction.atomic
def merge_records(survivor, other, *, by: User) -> Merge:
    """Merge ``other`` into ``survivor``, both locked for the time of it."""
    with working_as(channel=Channel.MERGE):
        _check(survivor, other, by=by)
        model = type(survivor)
        locked = model.objects.select_for_update().in_bulk([survivor.pk, other.pk])
        survivor, other = locked[survivor.pk], locked[other.pk]
        # Deals, activities and leads change records: every figure that counts them is retired.
        figures_changed()
        merge = Merge(survivor=survivor)
        merge.moved = _move_related(survivor, other)
        merge.filled = _fill(survivor, other)
        label = model._meta.label
        MergedRecord.objects.filter(model=label, survivor_pk=other.pk).update(
            survivor_pk=survivor.pk
        )
        MergedRecord.objects.create(
            model=label,
            old_pk=other.pk,
            survivor_pk=survivor.pk,
            name=str(other)[:300],
            merged_by=by,
        )
        other_name, other_pk = str(other), other.pk
        FieldChange.objects.of(other).update(object_id=survivor.pk)
        other.delete()
        survivor.version = F("version") + 1
        survivor.save()
        survivor.refresh_from_db()
        add_note(
            record=survivor,
            by=by,
            text=_("Merged with “%(name)s” (#%(id)s).") % {"name": other_name, "id": other_pk},
        )
        record(
            Kind.MERGE,
            actor=by,
            target=survivor,
            merged_id=other_pk,
            merged_name=other_name[:200],
            moved=merge.moved,
        )
        return merge
