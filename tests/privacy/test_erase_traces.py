"""What else names a person once erased: the record of a duplicate merged into them, and the
webhook events already written about them. Both are scrubbed; the receivers are told of the
erasure by a ``contact.updated`` that names nobody."""

import json

from django.urls import reverse

from crm.models import Contact
from infra.events import emit
from merging.models import MergedRecord
from merging.services import merge_records
from privacy.services import erase_person
from tests.factories import make_contact
from tests.webhooks.conftest import run_worker
from webhooks.models import Event


def test_a_duplicate_merged_into_her_is_erased_from_the_merge_record(manager, manager_client, zoe):
    duplicate = make_contact(name="Zoe Q.", email="zq@example.org", owner=zoe.owner)
    merge_records(zoe, duplicate, by=manager)
    assert list(MergedRecord.objects.values_list("name", flat=True)) == ["Zoe Q."]

    erase_person(Contact.objects.get(pk=zoe.pk), by=manager)

    assert list(MergedRecord.objects.values_list("name", flat=True)) == ["Erased"]
    # The duplicate's old address still opens the survivor, which names nobody.
    page = manager_client.get(reverse("crm:contact_detail", args=[duplicate.pk]), follow=True)
    assert "Zoe" not in page.content.decode()


def test_webhook_events_lose_her_fields_and_receivers_hear_of_the_erasure(
    manager, zoe, endpoint, receiver, database_backend, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        zoe.job_title = "Head buyer"
        zoe.save()
        emit("contact.updated", zoe)
    assert "Quimby" in json.dumps(list(Event.objects.values_list("payload", flat=True)))

    with django_capture_on_commit_callbacks(execute=True):
        erase_person(zoe, by=manager)
    run_worker()

    payloads = json.dumps(list(Event.objects.values_list("payload", flat=True)))
    assert "Quimby" not in payloads and "zoe.quimby" not in payloads
    sent = [json.loads(request.body) for request in receiver.requests]
    # The edit's event, sent after the erasure, goes out scrubbed; then the erasure's own.
    assert [body["event"] for body in sent] == [
        "contact.updated",
        "lead.updated",
        "contact.updated",
    ]
    assert "Quimby" not in json.dumps(sent)
    assert (sent[-1]["data"]["last_name"], sent[-1]["data"]["email_opt_out"]) == ("Erased", True)
