"""The bell shows what is unread; the list opens each notification's record and marks it read."""

import pytest
from django.urls import reverse

from notifications.models import Notification
from notifications.services import notify
from tests.factories import make_lead

LIST = reverse("notifications:list")


def _assigned(user, *, by=None):
    lead = make_lead(owner=user)
    return notify(user, Notification.Kind.LEAD_ASSIGNED, lead, by=by)


def test_the_bell_shows_the_unread_count(rep, manager, rep_client):
    _assigned(rep, by=manager)
    _assigned(rep, by=manager)

    page = rep_client.get(reverse("home")).content.decode()

    assert '<span class="badge rounded-pill text-bg-danger">2</span>' in page
    assert "Notifications: 2 unread" in page


def test_the_bell_shows_no_figure_when_all_is_read(rep, rep_client):
    page = rep_client.get(reverse("home")).content.decode()

    assert "text-bg-danger" not in page
    assert "Notifications: 0 unread" in page


def test_the_bell_follows_a_new_notification_at_once(rep, manager, rep_client):
    rep_client.get(reverse("home"))  # the count is cached: 0
    _assigned(rep, by=manager)

    page = rep_client.get(reverse("home")).content.decode()

    assert "Notifications: 1 unread" in page


@pytest.mark.parametrize("count", [1, 3])
def test_the_list_shows_the_newest_first_in_constant_queries(
    count, rep, manager, rep_client, django_assert_num_queries
):
    made = [_assigned(rep, by=manager) for _ in range(count)]

    # The session, the user, the pager's count, the bell's unread count (counted again: the
    # notifications came after the login), the user's team (the top bar) and the page.
    with django_assert_num_queries(6):
        response = rep_client.get(LIST)

    assert [n.pk for n in response.context["page_obj"]] == [n.pk for n in reversed(made)]
    page = response.content.decode()
    assert page.count("(unread)") == count
    assert made[0].text in page


def test_the_list_shows_only_ones_own(rep, other_rep, manager, rep_client):
    _assigned(other_rep, by=manager)

    response = rep_client.get(LIST)

    assert list(response.context["page_obj"]) == []
    assert "Nothing to tell you yet." in response.content.decode()


def test_opening_a_notification_marks_it_read_and_goes_to_its_record(rep, manager, rep_client):
    notification = _assigned(rep, by=manager)

    response = rep_client.post(reverse("notifications:open", args=[notification.pk]))

    assert response.status_code == 302
    assert response.url == notification.url
    notification.refresh_from_db()
    assert notification.read_at is not None
    assert "Notifications: 0 unread" in rep_client.get(LIST).content.decode()


def test_opening_it_again_keeps_the_first_reading(rep, manager, rep_client):
    notification = _assigned(rep, by=manager)
    rep_client.post(reverse("notifications:open", args=[notification.pk]))
    first = Notification.objects.get().read_at

    rep_client.post(reverse("notifications:open", args=[notification.pk]))

    assert Notification.objects.get().read_at == first


def test_someone_elses_notification_is_not_found(rep, other_rep, manager, other_client):
    notification = _assigned(rep, by=manager)

    response = other_client.post(reverse("notifications:open", args=[notification.pk]))

    assert response.status_code == 404
    assert Notification.objects.get().read_at is None


def test_opening_needs_a_post(rep, manager, rep_client):
    notification = _assigned(rep, by=manager)

    response = rep_client.get(reverse("notifications:open", args=[notification.pk]))

    assert response.status_code == 405
    assert Notification.objects.get().read_at is None


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(LIST)

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_mark_all_read_reads_only_ones_own(rep, other_rep, manager, rep_client):
    _assigned(rep, by=manager)
    _assigned(rep, by=manager)
    theirs = _assigned(other_rep, by=manager)

    response = rep_client.post(reverse("notifications:read_all"), follow=True)

    assert Notification.objects.filter(user=rep).unread().count() == 0
    theirs.refresh_from_db()
    assert theirs.read_at is None
    page = response.content.decode()
    assert "All notifications marked read." in page
    assert "Notifications: 0 unread" in page
