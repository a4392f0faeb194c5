"""The trash page: each user finds there what they could delete (a manager, their teams'), and
restores it or deletes it for good."""

import pytest
from django.urls import reverse

from crm.models import TrashBatch
from crm.trash import trash_record
from opportunities.models import Opportunity
from tests.factories import make_activity, make_company, make_opportunity

URL = reverse("crm:trash")


def labels_in(response) -> list[str]:
    return [batch.label for batch in response.context["page_obj"]]


def test_trash_lists_what_each_user_could_delete(
    rep, teammate, other_rep, rep_client, manager_client, other_client, admin_client
):
    deal = make_opportunity(owner=rep, name="Alice's deal")
    make_activity(opportunity=deal, owner=rep)
    trash_record(deal, by=rep)
    trash_record(make_company(owner=teammate, name="Bob's company"), by=teammate)
    trash_record(make_company(owner=other_rep, name="Charlie's company"), by=other_rep)

    response = rep_client.get(URL)

    assert labels_in(response) == ["Alice's deal"]
    assert "and 1 record that went with it" in response.text
    assert "Opportunity" in response.text
    assert sorted(labels_in(manager_client.get(URL))) == ["Alice's deal", "Bob's company"]
    assert labels_in(other_client.get(URL)) == ["Charlie's company"]
    assert len(labels_in(admin_client.get(URL))) == 3


def test_trash_says_when_it_is_empty(rep_client):
    response = rep_client.get(URL)

    assert labels_in(response) == []
    assert "The trash is empty." in response.text


@pytest.mark.parametrize("rows", [1, 3])
def test_trash_query_count_does_not_grow(rep, rep_client, rows, django_assert_num_queries):
    for _ in range(rows):
        trash_record(make_opportunity(owner=rep), by=rep)

    # session, user, the user's team (menu), the count, the page of deletions (kind and who
    # deleted joined)
    with django_assert_num_queries(5):
        response = rep_client.get(URL)

    assert len(labels_in(response)) == rows


def test_restore_from_the_trash_page(rep, rep_client):
    deal = make_opportunity(owner=rep, name="Renewal")
    trash_record(deal, by=rep)
    batch = TrashBatch.objects.get()

    response = rep_client.post(reverse("crm:trash_restore", args=[batch.pk]), follow=True)

    assert response.redirect_chain == [(deal.get_absolute_url(), 302)]
    assert "“Renewal” was restored." in response.text
    assert list(Opportunity.objects.all()) == [deal]


def test_delete_for_good_from_the_trash_page(rep, rep_client):
    trash_record(make_opportunity(owner=rep, name="Renewal"), by=rep)
    batch = TrashBatch.objects.get()

    response = rep_client.post(reverse("crm:trash_purge", args=[batch.pk]), follow=True)

    assert "“Renewal” was deleted for good." in response.text
    assert (Opportunity.with_trash.count(), TrashBatch.objects.count()) == (0, 0)


def test_delete_for_good_says_what_still_needs_it(rep, rep_client):
    company = make_company(owner=rep, name="Cobalt")
    trash_record(make_opportunity(owner=rep, company=company), by=rep)
    trash_record(company, by=rep)
    batch = TrashBatch.objects.get(label="Cobalt")

    response = rep_client.post(reverse("crm:trash_purge", args=[batch.pk]), follow=True)

    assert (
        "“Cobalt” cannot be deleted for good while these depend on it: 1 opportunity."
        in response.text
    )
    assert TrashBatch.objects.count() == 2


@pytest.mark.parametrize("action", ["crm:trash_restore", "crm:trash_purge"])
def test_another_reps_deletion_is_a_404(rep, other_client, action):
    trash_record(make_opportunity(owner=rep), by=rep)
    batch = TrashBatch.objects.get()

    response = other_client.post(reverse(action, args=[batch.pk]))

    assert response.status_code == 404
    assert TrashBatch.objects.filter(pk=batch.pk).exists()


@pytest.mark.parametrize("action", ["crm:trash_restore", "crm:trash_purge"])
def test_restore_and_purge_take_posts_only(rep, rep_client, action):
    trash_record(make_opportunity(owner=rep), by=rep)
    batch = TrashBatch.objects.get()

    response = rep_client.get(reverse(action, args=[batch.pk]))

    assert response.status_code == 405
    assert TrashBatch.objects.filter(pk=batch.pk).exists()


def test_trash_needs_a_login(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
