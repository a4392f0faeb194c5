"""The services behind the held web-form messages: hold, release, purge."""

import threading
import time
from unittest import mock

import pytest
from django.db import connection

from leads import web
from leads.models import Lead, WebSubmission
from tests.factories import make_web_submission


@pytest.fixture
def held(north):
    return make_web_submission(name="Ada Lovelace", email="ada@engine.example", team=north)


def hold(team_name: str, **sent) -> WebSubmission:
    """Hold a message from Ada for the team called ``team_name``: sent too fast, with only her
    name and email, unless ``sent`` says otherwise."""
    message = {
        "name": "Ada Lovelace",
        "email": "ada@engine.example",
        "phone": "",
        "company": "",
        "message": "",
        "website": "",
        "reason": WebSubmission.Reason.TOO_FAST,
        "address": "",
        "user_agent": "",
    }
    return web.hold_submission(**(message | sent), team_name=team_name)


def test_hold_keeps_the_message_for_the_team_it_would_go_to(north):
    submission = hold(
        "North",
        company="Engines",
        message="Hello",
        website="x" * 500,
        reason=WebSubmission.Reason.HONEYPOT,
        address="2001:db8::1",
        user_agent="UA " * 200,
    )

    stored = WebSubmission.objects.get(pk=submission.pk)
    assert (stored.name, stored.company, stored.team, stored.status) == (
        "Ada Lovelace",
        "Engines",
        north,
        "held",
    )
    assert (len(stored.website), len(stored.user_agent), stored.address) == (
        300,
        300,
        "2001:db8::1",
    )


def test_hold_for_a_team_that_does_not_exist_has_none(db):
    submission = hold("Gone")

    assert submission.team is None


def test_release_makes_one_lead_however_often_it_is_asked(held, manager, rep):
    first = web.release_submission(held, by=manager)
    second = web.release_submission(WebSubmission.objects.get(pk=held.pk), by=manager)

    assert first == second == Lead.objects.get()
    assert (held.status, held.lead, held.reviewed_by) == ("released", first, manager)
    assert first.owner == rep


def test_release_of_a_message_whose_lead_was_deleted_says_so(held, manager):
    lead = web.release_submission(held, by=manager)
    lead.delete()

    with pytest.raises(web.WebSubmissionError):
        web.release_submission(held, by=manager)
    assert Lead.objects.count() == 0


def test_release_of_a_purged_message_finds_nothing(held, manager):
    web.purge_submission(held, by=manager)

    with pytest.raises(WebSubmission.DoesNotExist):
        web.release_submission(held, by=manager)
    assert Lead.objects.count() == 0


def test_purge_deletes_a_held_message_and_refuses_a_released_one(held, manager, north):
    released = make_web_submission(team=north)
    web.release_submission(released, by=manager)

    web.purge_submission(held, by=manager)
    with pytest.raises(web.WebSubmissionError):
        web.purge_submission(released, by=manager)

    assert list(WebSubmission.objects.values_list("pk", flat=True)) == [released.pk]


def test_purge_many_deletes_the_held_ones_among_them(held, manager, north):
    released = make_web_submission(team=north, status=WebSubmission.Status.RELEASED)
    other = make_web_submission(team=north)

    count = web.purge_submissions([held, released], by=manager)

    assert count == 1
    assert sorted(WebSubmission.objects.values_list("pk", flat=True)) == [released.pk, other.pk]


PAUSE = 0.5


@pytest.mark.postgres
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks need PostgreSQL; SQLite has none"
)
def test_two_simultaneous_releases_make_exactly_one_lead(transactional_db, north, manager, rep):
    """Whoever locks the message first pauses while making its lead; the other waits on the
    row lock and then finds it released."""
    held = make_web_submission(team=north)
    start = threading.Barrier(2, timeout=10)
    real_create = web.create_web_lead
    created, results, errors = [], [], []

    def slow_create(**fields):
        lead = real_create(**fields)
        created.append(lead.pk)
        time.sleep(PAUSE)
        return lead

    def release():
        try:
            start.wait()
            copy = WebSubmission.objects.get(pk=held.pk)
            results.append(web.release_submission(copy, by=manager).pk)
        except Exception as error:  # reported below, in the main thread
            errors.append(error)
        finally:
            connection.close()

    with mock.patch("leads.web.create_web_lead", side_effect=slow_create):
        threads = [threading.Thread(target=release) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)

    assert errors == []
    assert len(created) == 1
    assert results == created * 2
    assert Lead.objects.count() == 1
    assert WebSubmission.objects.get().lead_id == created[0]
