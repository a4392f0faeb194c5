"""Creating and editing deals through the full forms."""

from decimal import Decimal

from django.urls import reverse

from opportunities.models import Opportunity
from opportunities.services import update_opportunity
from tests.factories import make_company, make_contact, make_opportunity, make_pipeline
from tests.opportunities.history import fields_changed

CREATE = reverse("opportunities:create")


def edit_url(deal) -> str:
    return reverse("opportunities:edit", args=[deal.pk])


def form_data(stage, **overrides) -> dict:
    data = {
        "name": "Widgets for Acme",
        "pipeline": stage.pipeline.pk,
        "stage": stage.pk,
        "amount": "2500",
        "currency": "EUR",
        "probability": "",
        "expected_close_date": "2030-03-31",
        "forecast_category": "",
        "notes": "",
    }
    return data | overrides


def test_create_saves_a_deal_with_the_stage_probability_and_the_owner_team(
    rep_client, rep, north, stages
):
    response = rep_client.post(CREATE, form_data(stages[1], owner=rep.pk))

    deal = Opportunity.objects.get(name="Widgets for Acme")
    assert response.url == deal.get_absolute_url()
    assert (deal.stage, deal.probability, deal.probability_is_manual) == (stages[1], 60, False)
    assert (deal.owner, deal.team, deal.amount) == (rep, north, Decimal("2500.00"))
    assert list(deal.changes.values_list("field", "changed_by")) == [("created", rep.pk)]


def test_create_takes_the_team_from_the_owner_never_from_the_post(
    manager_client, teammate, south, north, stages
):
    manager_client.post(CREATE, form_data(stages[0], owner=teammate.pk, team=south.pk))

    assert Opportunity.objects.get().team == north


def test_a_manager_creating_their_own_deal_files_it_under_the_team_they_run(
    manager_client, manager, north, stages
):
    manager_client.post(CREATE, form_data(stages[0], owner=manager.pk))

    assert Opportunity.objects.get().team == north


def test_create_with_a_probability_set_by_hand_keeps_it(rep_client, rep, stages):
    rep_client.post(CREATE, form_data(stages[0], owner=rep.pk, probability="45"))

    deal = Opportunity.objects.get()
    assert (deal.probability, deal.probability_is_manual) == (45, True)


def test_create_form_leaves_the_probability_empty_for_the_stage_to_fill(rep_client, stages):
    form = rep_client.get(CREATE).context["form"]

    # The help text promises the stage's probability when it is left empty; a prefilled model
    # default would be kept as if typed by hand once another stage is chosen.
    assert form["probability"].value() is None
    assert form["currency"].label == "Currency"


def test_create_shows_every_error_beside_its_field(rep_client, rep, stages):
    other_stage = make_pipeline(name="Renewals").stages.first()

    response = rep_client.post(
        CREATE,
        form_data(
            other_stage,
            pipeline=stages[0].pipeline.pk,
            owner=rep.pk,
            amount="-1",
            probability="101",
            expected_close_date="",
            currency="XXX",
        ),
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("is-invalid") == 5
    assert "Choose a stage of the Sales pipeline." in html
    assert "Select a valid choice. XXX is not one of the available choices." in html
    assert Opportunity.objects.count() == 0


def test_create_offers_only_assignable_owners_and_visible_companies(
    rep_client, rep, other_rep, stages
):
    make_company(name="Ours", owner=rep)
    make_company(name="Theirs", owner=other_rep)

    response = rep_client.post(CREATE, form_data(stages[0], owner=other_rep.pk))

    html = response.content.decode()
    assert "Ours" in html
    assert "Theirs" not in html
    assert "Charlie" not in html
    assert Opportunity.objects.count() == 0


def test_create_offers_the_configured_currencies(rep_client, settings, db):
    html = rep_client.get(CREATE).content.decode()

    assert [code for code in settings.CURRENCIES if f'<option value="{code}"' in html] == list(
        settings.CURRENCIES
    )


def test_create_needs_a_login(client, db):
    assert client.get(CREATE).url == f"/accounts/login/?next={CREATE}"


def test_create_refuses_put(rep_client, db):
    assert rep_client.put(CREATE).status_code == 405


def test_edit_saves_changes_and_records_them(rep_client, rep, deal, stages):
    response = rep_client.post(
        edit_url(deal),
        form_data(stages[2], owner=rep.pk, name="Acme renewal 2", amount="1200", version="1"),
    )

    deal.refresh_from_db()
    assert response.url == deal.get_absolute_url()
    assert (deal.name, deal.stage, deal.amount, deal.probability, deal.version) == (
        "Acme renewal 2",
        stages[2],
        Decimal("1200.00"),
        90,
        2,
    )
    assert fields_changed(deal) == ["amount", "expected_close_date", "probability", "stage"]


def test_edit_keeps_a_company_and_contact_another_rep_owns(rep_client, rep, teammate, stages):
    # Alice's deal is with Bob's customer: she cannot open the company, but saving her deal
    # must not unlink it.
    company = make_company(name="Bob's Bakery", owner=teammate)
    contact = make_contact(last_name="Baker", company=company, owner=teammate)
    deal = make_opportunity(
        name="Ovens", owner=rep, stage=stages[0], company=company, contact=contact
    )

    form = rep_client.get(edit_url(deal)).context["form"]
    assert (form["company"].value(), form["contact"].value()) == (company.pk, contact.pk)
    rep_client.post(
        edit_url(deal),
        form_data(
            stages[0],
            owner=rep.pk,
            name="Ovens",
            amount="1200",
            company=company.pk,
            contact=contact.pk,
            version=deal.version,
        ),
    )

    deal.refresh_from_db()
    assert (deal.amount, deal.company, deal.contact) == (Decimal("1200.00"), company, contact)


def test_create_offers_no_company_the_user_cannot_see(rep_client, teammate, stages):
    hidden = make_company(name="Bob's Bakery", owner=teammate)

    form = rep_client.get(CREATE).context["form"]

    assert hidden not in form.fields["company"].queryset


def test_edit_shows_the_hidden_version(rep_client, deal):
    html = rep_client.get(edit_url(deal)).content.decode()

    assert '<input type="hidden" name="version" value="1"' in html


def test_two_people_editing_the_same_deal_the_second_is_refused(
    rep_client, manager_client, rep, deal, stages
):
    # Alice and her manager both open the edit form at version 1.
    assert 'name="version" value="1"' in rep_client.get(edit_url(deal)).content.decode()
    assert 'name="version" value="1"' in manager_client.get(edit_url(deal)).content.decode()

    manager_client.post(
        edit_url(deal), form_data(stages[0], owner=rep.pk, amount="3000", version="1")
    )
    response = rep_client.post(
        edit_url(deal), form_data(stages[0], owner=rep.pk, amount="5000", version="1")
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "Someone else saved this deal while you were editing it" in html
    assert 'name="amount" value="3000.00"' in html
    assert 'name="version" value="2"' in html
    deal.refresh_from_db()
    assert (deal.amount, deal.version) == (Decimal("3000.00"), 2)
    assert list(deal.changes.filter(field="amount").values_list("new_value", flat=True)) == [
        "3000.00"
    ]


def test_a_refused_save_lists_only_what_this_user_changed(
    rep_client, manager_client, rep, deal, stages
):
    # Both load the form at version 1; the manager changes the amount, then Alice the name.
    loaded = rep_client.get(edit_url(deal)).context["form"]
    assert 'name="initial-amount"' in str(loaded["amount"])
    manager_client.post(
        edit_url(deal), form_data(stages[0], owner=rep.pk, amount="3000", version="1")
    )
    mine = form_data(stages[0], owner=rep.pk, name="Acme renewal, 2 years", version="1")
    mine |= {f"initial-{name}": value for name, value in form_data(stages[0]).items()}
    mine |= {"initial-name": deal.name, "initial-owner": rep.pk, "initial-amount": "2500"}

    response = rep_client.post(edit_url(deal), mine)

    assert [label for label, _now, _yours in response.context["conflict"]] == ["Name"]


def test_edit_of_another_team_deal_is_404(rep_client, rep, other_deal, stages):
    assert rep_client.get(edit_url(other_deal)).status_code == 404
    response = rep_client.post(edit_url(other_deal), form_data(stages[0], owner=rep.pk))
    assert response.status_code == 404
    assert Opportunity.objects.get(pk=other_deal.pk).name == "Southern secret"


def test_edit_refuses_put(rep_client, deal):
    assert rep_client.put(edit_url(deal)).status_code == 405


def test_edit_needs_a_login(client, deal):
    assert client.get(edit_url(deal)).url.startswith("/accounts/login/")


def test_edit_after_someone_else_saved_nothing_new_is_not_lost(rep_client, rep, deal, stages):
    update_opportunity(deal, by=rep, version=1, name="Renamed elsewhere")

    rep_client.post(edit_url(deal), form_data(stages[0], owner=rep.pk, version="1"))

    assert Opportunity.objects.get(pk=deal.pk).name == "Renamed elsewhere"


def test_choosing_a_company_reloads_the_contact_list_with_its_people(rep_client, rep, htmx_headers):
    acme = make_company(name="Acme", owner=rep)
    globex = make_company(name="Globex", owner=rep)
    make_contact(first_name="Wile", last_name="Coyote", company=acme, owner=rep)
    make_contact(first_name="Hank", last_name="Scorpio", company=globex, owner=rep)

    response = rep_client.get(
        CREATE, {"company": acme.pk}, headers=htmx_headers | {"HX-Target": "contact-field"}
    )

    html = response.content.decode()
    assert html.lstrip().startswith('<div class="col-md-6" id="contact-field"')
    assert "Wile Coyote" in html
    assert "Scorpio" not in html


def test_edit_offers_the_contacts_of_the_deal_company(rep_client, rep, stages):
    acme = make_company(name="Acme", owner=rep)
    make_contact(first_name="Wile", last_name="Coyote", company=acme, owner=rep)
    make_contact(first_name="Hank", last_name="Scorpio", owner=rep)
    deal = make_opportunity(owner=rep, stage=stages[0], company=acme)

    html = rep_client.get(edit_url(deal)).content.decode()

    assert "Wile Coyote" in html
    assert "Scorpio" not in html
