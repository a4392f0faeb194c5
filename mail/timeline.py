"""The email behind each Email activity of a record's timeline, with its recipients and
delivery, read in one query for the whole timeline (see ``activities.timeline``)."""

from activities.models import Activity
from mail.models import OutboundEmail


def attach_emails(activities: list[Activity]) -> None:
    ids = [activity.pk for activity in activities if activity.kind == Activity.Kind.EMAIL]
    if not ids:
        return
    emails = {email.activity_id: email for email in OutboundEmail.objects.filter(activity__in=ids)}
    for activity in activities:
        if activity.pk in emails:
            activity.detail = emails[activity.pk]
