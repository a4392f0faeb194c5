"""No event is lost while the worker is down or the receiver fails: changes made meanwhile
wait in the outbox and the task queue, and once the worker runs every event arrives once, in
order for each record."""

from datetime import timedelta

from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from leads import services as leads
from opportunities import services as opportunities
from tests.factories import make_disqualify_reason
from tests.webhooks.conftest import run_worker
from webhooks.models import Delivery, Event


def make_changes(rep, stages, capture):
    """Two leads worked at once: one converted into a deal that is moved and won, one
    disqualified. Each change commits on its own, as each request would."""
    with capture(execute=True):
        first = leads.create_lead(by=rep, first_name="Lia", last_name="Lead", owner=rep)
    with capture(execute=True):
        second = leads.create_lead(by=rep, first_name="Otto", last_name="Other", owner=rep)
    with capture(execute=True):
        leads.qualify(first, by=rep)
    with capture(execute=True):
        leads.disqualify(second, reason=make_disqualify_reason(), by=rep)
    with capture(execute=True):
        deal = leads.convert_lead(
            first, by=rep, create_opportunity=True, stage=stages[0]
        ).opportunity
    with capture(execute=True):
        opportunities.move_opportunity(deal, stage=stages[1], by=rep)
    with capture(execute=True):
        opportunities.mark_won(deal, by=rep)
    return first, second, deal


def expected(first, second, deal):
    return {
        ("lead", first.pk): ["lead.created", "lead.qualified", "lead.converted"],
        ("lead", second.pk): ["lead.created", "lead.disqualified"],
        ("opportunity", deal.pk): [
            "opportunity.created",
            "opportunity.stage_changed",
            "opportunity.won",
        ],
    }


def per_record(receiver) -> dict:
    events = {}
    for request in receiver.requests:
        body = request.json
        events.setdefault((body["record"]["type"], body["record"]["id"]), []).append(body["event"])
    return events


def test_changes_made_while_the_worker_is_down_arrive_once_it_runs(
    endpoint, receiver, rep, stages, database_backend, django_capture_on_commit_callbacks
):
    records = make_changes(rep, stages, django_capture_on_commit_callbacks)
    assert receiver.requests == []  # the worker is down
    assert DBTaskResult.objects.ready().count() == 8

    run_worker()

    assert per_record(receiver) == expected(*records)
    assert len({request.json["id"] for request in receiver.requests}) == 8
    assert all(request.signed_with(endpoint.secret) for request in receiver.requests)
    assert set(Delivery.objects.values_list("status", flat=True)) == {"delivered"}


def test_a_later_event_waits_for_the_earlier_one_of_its_record(
    endpoint, receiver, rep, stages, database_backend, django_capture_on_commit_callbacks
):
    records = make_changes(rep, stages, django_capture_on_commit_callbacks)
    newest = DBTaskResult.objects.ready().order_by("-enqueued_at").first()
    newest.delete()  # the deal won: its task was lost

    # Two workers, or a queue read out of order: each record's latest task runs first, finds
    # an earlier event waiting and leaves it; each delivered event queues the next one.
    ran = run_worker(newest_first=True)

    assert ran > 8

    assert per_record(receiver) == expected(*records)
    assert len(receiver.requests) == 8


def test_events_wait_while_the_receiver_fails_then_arrive_in_order(
    endpoint, receiver, rep, stages, database_backend, django_capture_on_commit_callbacks
):
    records = make_changes(rep, stages, django_capture_on_commit_callbacks)
    receiver.answers = [503, 503, 503]  # the first event of each record is refused

    run_worker()

    assert sorted(r.json["event"] for r in receiver.requests) == [
        "lead.created",
        "lead.created",
        "opportunity.created",
    ]
    assert Delivery.objects.filter(status="pending").count() == 8
    # The retries are queued for later; time passes and they are due.
    waiting = DBTaskResult.objects.filter(status="READY")
    assert waiting.count() == 3 and DBTaskResult.objects.ready().count() == 0
    Delivery.objects.update(next_attempt_at=timezone.now())
    waiting.update(run_after=timezone.now())

    run_worker()

    delivered = per_record(receiver)
    # Each record's first event twice (refused, then taken), the rest once, all in order.
    assert {key: names[1:] for key, names in delivered.items()} == expected(*records)
    assert set(Delivery.objects.values_list("status", flat=True)) == {"delivered"}


def test_the_sweep_sends_what_no_task_was_queued_for(
    endpoint, receiver, rep, stages, database_backend, django_capture_on_commit_callbacks
):
    records = make_changes(rep, stages, django_capture_on_commit_callbacks)
    DBTaskResult.objects.all().delete()  # the queue was lost

    call_command("deliver_webhooks")

    assert per_record(receiver) == expected(*records)
    assert len(receiver.requests) == 8
    call_command("deliver_webhooks")
    assert len(receiver.requests) == 8


def test_old_finished_events_are_pruned_and_waiting_ones_kept(
    endpoint, receiver, rep, stages, django_capture_on_commit_callbacks
):
    make_changes(rep, stages, django_capture_on_commit_callbacks)
    Event.objects.update(created_at=timezone.now() - timedelta(days=31))
    Delivery.objects.filter(event__name="opportunity.won").update(status="pending")

    call_command("prune_webhook_events", "--min-age-days", "30")

    assert list(Event.objects.values_list("name", flat=True)) == ["opportunity.won"]
    assert Delivery.objects.count() == 1
