"""The activities' part of a record's timeline (see ``crm.timeline``): its planned steps, its
done activities and notes, and its badges."""

import datetime

from django.apps import apps
from django.db.models import Case, OuterRef, Q, Subquery, When

from activities.models import SUBJECT_MODELS, Activity, subject_field, with_activity_badges
from audit.models import FieldChange
from audit.tracking import Audited
from crm.models import User
from crm.timeline import TimelineEntry, TimelinePart, recorded_changes


def _activities_for(record, user: User):
    """Activities about the record itself; a contact or company also shows those about its
    deals (and a company those about its contacts) that the user may see."""
    kind = subject_field(record)
    if kind in ("lead", "opportunity"):
        return Activity.objects.about(record)
    # One set of ids per way in, joined by UNION ALL: each part reads its own index. An OR of
    # the three conditions instead makes PostgreSQL scan every activity (2 s at a million).
    deal_model = apps.get_model(SUBJECT_MODELS["opportunity"])
    deals = deal_model.objects.visible_to(user).filter(**{kind: record}).values("pk")
    parts = [
        Activity.objects.filter(**{kind: record}).values("pk"),
        Activity.objects.filter(opportunity__in=deals).values("pk"),
    ]
    if kind == "company":
        contact_model = apps.get_model(SUBJECT_MODELS["contact"])
        contacts = contact_model.objects.visible_to(user).filter(company=record).values("pk")
        parts.append(Activity.objects.filter(contact__in=contacts).values("pk"))
    return Activity.objects.filter(pk__in=parts[0].union(*parts[1:], all=True))


def activity_history(
    record, *, user: User, today: datetime.date, limit: int | None
) -> TimelinePart | None:
    """Queries: the record's badges and its activities (every planned one, and the ``limit``
    newest done ones and one more)."""
    if record._meta.model_name not in SUBJECT_MODELS:
        return None
    model = type(record)
    badges = with_activity_badges(model.objects.filter(pk=record.pk), today=today).get()
    about = _activities_for(record, user)
    if limit is not None:
        # Every planned step, and the newest done ones (one more: are there older ones?),
        # in one query.
        newest_done = (
            about.filter(done_at__isnull=False).order_by("-done_at", "-pk").values("pk")
        )[: limit + 1]
        about = about.filter(Q(done_at__isnull=True) | Q(pk__in=newest_done))
    activities = list(about.select_related("owner", "done_by", "opportunity", "contact"))
    pending = sorted(
        (a for a in activities if a.is_pending),
        key=lambda a: (a.due_date or datetime.date.max, a.due_time or datetime.time.max, a.pk),
    )
    history = [
        TimelineEntry(at=a.done_at, kind="note" if a.is_note else "activity", activity=a)
        for a in activities
        if a.is_done
    ]
    return TimelinePart(history=history, pending=pending, badges=badges)


def field_changes(
    record, *, user: User, today: datetime.date, limit: int | None
) -> TimelinePart | None:
    """The changes made to the record's fields and to those of its own activities, each
    activity's change with the activity's subject, in one query."""
    if record._meta.model_name not in SUBJECT_MODELS:
        return None
    ids = FieldChange.objects.of_any(Activity, Activity.objects.about(record).values("pk"))
    ids = ids.values("pk")
    if isinstance(record, Audited):
        ids = FieldChange.objects.of(record).values("pk").union(ids, all=True)
    subject = Activity.objects.filter(pk=OuterRef("object_id")).values("subject")[:1]
    changes = (
        FieldChange.objects.filter(pk__in=ids)
        .select_related("changed_by", "content_type")
        .annotate(
            activity_subject=Case(
                When(
                    content_type__app_label=Activity._meta.app_label,
                    content_type__model=Activity._meta.model_name,
                    then=Subquery(subject),
                )
            )
        )
    )
    return recorded_changes(changes, kind="field_change", limit=limit)
