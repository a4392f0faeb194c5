"""A manager keeps the short lists the forms offer: lead sources, lost reasons and
disqualification reasons. An entry is added, renamed, retired and offered again, never deleted:
a retired one leaves the pickers and stays on the records that have it."""

import pytest
from django.urls import reverse

from leads.forms import LeadForm
from leads.models import DisqualifyReason, LeadSource
from opportunities.models import LostReason
from tests.factories import make_lead

KINDS = [
    pytest.param("lead-sources", LeadSource, id="lead-sources"),
    pytest.param("lost-reasons", LostReason, id="lost-reasons"),
    pytest.param("disqualify-reasons", DisqualifyReason, id="disqualify-reasons"),
]


def new(model, name):
    return model.new(name) if model is LeadSource else model(name=name)


@pytest.mark.parametrize("kind, model", KINDS)
@pytest.mark.parametrize("rows", [1, 3])
def test_a_list_counts_no_query_per_entry(
    manager_client, kind, model, rows, django_assert_num_queries
):
    model.objects.all().delete()
    for number in range(rows):
        new(model, f"Entry {number}").save()

    # session, user, the entries
    with django_assert_num_queries(3):
        response = manager_client.get(reverse("setup:item_list", args=[kind]))

    assert response.text.count('<th scope="row">Entry ') == rows


@pytest.mark.parametrize("kind, model", KINDS)
def test_an_entry_is_added_renamed_retired_and_offered_again(manager_client, kind, model):
    manager_client.post(reverse("setup:item_create", args=[kind]), {"name": "Spring fair"})
    item = model.objects.get(name="Spring fair")
    renamed = manager_client.post(
        reverse("setup:item_edit", args=[kind, item.pk]), {"name": "Spring fair 2031"}
    )
    active_url = reverse("setup:item_active", args=[kind, item.pk])
    retired = manager_client.post(active_url)
    was_active = model.objects.get(pk=item.pk).is_active
    offered = manager_client.post(active_url, {"active": "1"})

    list_url = reverse("setup:item_list", args=[kind])
    assert [renamed["Location"], retired["Location"], offered["Location"]] == [list_url] * 3
    assert was_active is False
    item = model.objects.get(pk=item.pk)
    assert (item.name, item.is_active) == ("Spring fair 2031", True)
    page = manager_client.get(list_url).text
    assert "“Spring fair” is now “Spring fair 2031”." in page
    assert "“Spring fair 2031” is no longer offered; the records that have it keep it." in page
    assert "“Spring fair 2031” is offered again." in page


@pytest.mark.parametrize("kind, model", KINDS)
def test_a_name_in_use_is_refused_beside_the_field(manager_client, kind, model):
    new(model, "Spring fair").save()

    response = manager_client.post(
        reverse("setup:item_create", args=[kind]), {"name": "Spring fair"}
    )

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["name"]
    assert model.objects.filter(name="Spring fair").count() == 1


def test_a_new_source_gets_a_code_of_its_own(manager_client):
    LeadSource.objects.create(name="Fair", code="road-show")

    manager_client.post(reverse("setup:item_create", args=["lead-sources"]), {"name": "Road show"})

    assert LeadSource.objects.get(name="Road show").code == "road-show-2"


def test_retiring_with_htmx_sends_back_the_row_and_its_message(manager_client, htmx_headers):
    reason = LostReason.objects.create(name="Went quiet")
    url = reverse("setup:item_active", args=["lost-reasons", reason.pk])

    response = manager_client.post(url, headers=htmx_headers)

    html = response.text
    assert html.startswith(f'\n<tr id="item-{reason.pk}">')
    assert "Retired" in html
    assert "Offer again" in html
    assert "“Went quiet” is no longer offered; the records that have it keep it." in html


def test_a_retired_source_leaves_the_lead_form_and_stays_on_the_lead(manager_client, rep):
    source = LeadSource.new("Spring fair")
    source.save()
    lead = make_lead(owner=rep, source=source)

    manager_client.post(reverse("setup:item_active", args=["lead-sources", source.pk]))

    assert "Spring fair" not in [label for _v, label in LeadForm(user=rep).fields["source"].choices]
    assert LeadForm(instance=lead, user=rep)["source"].value() == source.pk
    lead.refresh_from_db()
    assert lead.source == source


def test_there_is_no_list_of_anything_else(manager_client):
    response = manager_client.get(reverse("setup:item_list", args=["pipelines"]))

    assert response.status_code == 404
