"""A retired lead source or reason is no longer offered, and the records that have it keep it."""

from django.urls import reverse

from leads.forms import BulkForm, DisqualifyForm, LeadForm
from leads.models import Lead
from opportunities.forms import LostForm
from tests.factories import make_disqualify_reason, make_lead, make_lead_source, make_lost_reason
from tests.posted import form_data


def offered(field) -> list[str]:
    return [label for value, label in field.choices if value]


def test_a_retired_source_is_not_offered_for_a_new_lead(rep):
    make_lead_source(name="Trade show 2019", is_active=False)
    make_lead_source(name="Partner event")

    form = LeadForm(user=rep)

    assert "Trade show 2019" not in offered(form.fields["source"])
    assert "Partner event" in offered(form.fields["source"])


def test_a_lead_from_a_retired_source_keeps_it_when_edited(rep_client, rep):
    retired = make_lead_source(name="Trade show 2019", is_active=False)
    lead = make_lead(last_name="Doe", owner=rep, source=retired)
    url = reverse("leads:edit", args=[lead.pk])

    response = rep_client.post(url, form_data(rep_client.get(url)) | {"first_name": "Jane"})

    assert response.status_code == 302
    lead = Lead.objects.get(pk=lead.pk)
    assert (lead.first_name, lead.source) == ("Jane", retired)


def test_a_retired_reason_is_not_offered_to_disqualify_leads(rep):
    make_disqualify_reason(name="Wrong country", is_active=False)
    make_disqualify_reason(name="No budget at all")

    for field in (DisqualifyForm().fields["reason"], BulkForm(user=rep).fields["reason"]):
        assert "Wrong country" not in offered(field)
        assert "No budget at all" in offered(field)


def test_a_retired_reason_is_not_offered_for_a_lost_deal(db):
    make_lost_reason(name="Currency", is_active=False)
    make_lost_reason(name="Went quiet")

    choices = offered(LostForm().fields["reason"])

    assert "Currency" not in choices
    assert "Went quiet" in choices
