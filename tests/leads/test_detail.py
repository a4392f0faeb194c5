import pytest
from django.urls import reverse

from leads import services
from leads.models import Lead, LeadStatusChange
from tests.factories import make_company, make_contact, make_lead


def detail(lead):
    return reverse("leads:detail", args=[lead.pk])


def test_detail_shows_what_we_know_and_the_history(rep_client, lead, rep):
    services.start_working(lead, by=rep)

    body = rep_client.get(detail(lead)).content.decode()

    assert "Jane Doe" in body
    assert "Jane.Doe@acme.example" in body
    assert "New → Working" in body
    assert 'id="lead-status"' in body


def test_detail_lists_possible_duplicates_the_user_can_see(rep_client, lead, rep, other_rep):
    make_lead(last_name="Same mail", email=" jane.doe@ACME.example", owner=rep)
    make_lead(last_name="Same phone", phone="+34600111222", owner=rep)
    make_lead(last_name="Hidden twin", email="jane.doe@acme.example", owner=other_rep)
    make_contact(last_name="Contact twin", email="jane.doe@acme.example", owner=rep)
    make_company(name="Acme Corp", email_domain="acme.example", owner=rep)
    make_company(name="Hidden Acme", email_domain="acme.example", owner=other_rep)

    response = rep_client.get(detail(lead))

    assert sorted(x.last_name for x in response.context["duplicate_leads"]) == [
        "Same mail",
        "Same phone",
    ]
    assert [x.last_name for x in response.context["duplicate_contacts"]] == ["Contact twin"]
    assert [x.name for x in response.context["duplicate_companies"]] == ["Acme Corp"]
    assert "Hidden" not in response.content.decode()


def test_detail_lists_companies_of_the_leads_website_but_none_by_free_mail(rep_client, rep):
    lead = make_lead(email="ana@gmail.com", website="https://www.almendral.es", owner=rep)
    make_company(name="Almendral", email_domain="almendral.es", owner=rep)
    make_company(name="Careless", email_domain="gmail.com", owner=rep)

    response = rep_client.get(detail(lead))

    assert [x.name for x in response.context["duplicate_companies"]] == ["Almendral"]


def test_converted_lead_links_to_what_it_became(rep_client, lead, rep, first_stage):
    conversion = services.convert_lead(
        lead, by=rep, create_company=True, create_opportunity=True, stage=first_stage
    )

    body = rep_client.get(detail(lead)).content.decode()

    assert f'href="/opportunities/{conversion.opportunity.pk}/"' in body
    assert "Converted on" in body
    assert reverse("leads:edit", args=[lead.pk]) not in body


def test_other_teams_lead_is_404_everywhere(rep_client, other_lead):
    for name in ("detail", "edit", "convert", "disqualify"):
        assert rep_client.get(reverse(f"leads:{name}", args=[other_lead.pk])).status_code == 404
    response = rep_client.post(
        reverse("leads:change_status", args=[other_lead.pk]), {"action": "qualify"}
    )
    assert response.status_code == 404
    other_lead.refresh_from_db()
    assert other_lead.status == Lead.Status.NEW


def test_detail_wrong_method_and_anonymous(rep_client, client, lead):
    assert rep_client.post(detail(lead)).status_code == 405
    response = client.get(detail(lead))
    assert response["Location"] == f"/accounts/login/?next={detail(lead)}"


# --- status changes ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("target", "action", "answer", "shown", "said", "status"),
    [
        pytest.param(
            "lead-row",
            "start_working",
            '<tr id="lead-row-{pk}"',
            "Working",
            "is now working.",
            Lead.Status.WORKING,
            id="a row of the list",
        ),
        pytest.param(
            "lead-status",
            "qualify",
            '<section id="lead-status"',
            "New → Qualified",
            "is now qualified.",
            Lead.Status.QUALIFIED,
            id="the status card of the detail",
        ),
    ],
)
def test_a_status_change_answers_with_the_part_of_the_page_it_came_from(
    rep_client, lead, htmx_headers, target, action, answer, shown, said, status
):
    response = rep_client.post(
        reverse("leads:change_status", args=[lead.pk]),
        {"action": action},
        headers={**htmx_headers, "HX-Target": target},
    )

    body = response.content.decode()
    assert body.strip().startswith(answer.format(pk=lead.pk))
    assert shown in body
    # What happened is said at once, out of band, not on the next full page.
    messages = body.split('<div hx-swap-oob="beforeend:#messages">', 1)[1]
    assert said in messages
    lead.refresh_from_db()
    assert lead.status == status


def test_status_change_without_htmx_redirects_to_the_lead(rep_client, lead):
    response = rep_client.post(
        reverse("leads:change_status", args=[lead.pk]), {"action": "qualify"}
    )
    assert response["Location"] == detail(lead)
    lead.refresh_from_db()
    assert lead.status == Lead.Status.QUALIFIED


def test_status_change_refused_by_the_rules_changes_nothing(rep_client, lead):
    response = rep_client.post(
        reverse("leads:change_status", args=[lead.pk]), {"action": "reopen"}, follow=True
    )
    assert "Only a disqualified lead can be reopened." in response.content.decode()
    lead.refresh_from_db()
    assert lead.status == Lead.Status.NEW


def test_status_change_needs_post(rep_client, lead):
    assert rep_client.get(reverse("leads:change_status", args=[lead.pk])).status_code == 405


def test_disqualify_asks_for_the_reason(rep_client, lead, no_budget):
    url = reverse("leads:disqualify", args=[lead.pk])

    response = rep_client.post(url, {"note": "later"})
    assert "This field is required." in response.content.decode()
    lead.refresh_from_db()
    assert lead.status == Lead.Status.NEW

    response = rep_client.post(url, {"reason": no_budget.pk, "note": "Next year"})
    assert response["Location"] == detail(lead)
    lead.refresh_from_db()
    assert (lead.status, lead.disqualify_reason, lead.disqualify_note) == (
        "disqualified",
        no_budget,
        "Next year",
    )


def test_disqualify_form_in_the_detail_card_with_htmx(rep_client, lead, no_budget, htmx_headers):
    url = reverse("leads:disqualify", args=[lead.pk])

    form = rep_client.get(url, headers=htmx_headers).content.decode()
    assert form.strip().startswith('<form method="post" id="disqualify-form"')

    invalid = rep_client.post(url, {}, headers={**htmx_headers, "HX-Target": "disqualify-form"})
    assert invalid.status_code == 200
    assert "This field is required." in invalid.content.decode()

    done = rep_client.post(
        url, {"reason": no_budget.pk}, headers={**htmx_headers, "HX-Target": "disqualify-form"}
    )
    assert done["HX-Retarget"] == "#lead-status"
    assert "New → Disqualified" in done.content.decode()


def test_disqualify_from_its_own_page_goes_to_the_lead_with_its_message(
    rep_client, lead, no_budget, htmx_headers
):
    url = reverse("leads:disqualify", args=[lead.pk])
    headers = {
        **htmx_headers,
        "HX-Target": "disqualify-form",
        "HX-Current-URL": f"http://testserver{url}",
    }

    done = rep_client.post(url, {"reason": no_budget.pk}, headers=headers)

    assert done["HX-Redirect"] == detail(lead)
    lead.refresh_from_db()
    assert lead.status == "disqualified"
    assert "was disqualified" in rep_client.get(detail(lead)).content.decode()


# --- create and edit ----------------------------------------------------------------------


def test_rep_creates_a_lead(rep_client, rep, web_source):
    response = rep_client.post(
        reverse("leads:create"),
        {
            "first_name": "Ann",
            "last_name": "Lee",
            "email": "ann@x.example",
            "source": web_source.pk,
            "owner": rep.pk,
        },
    )

    lead = Lead.objects.get(last_name="Lee")
    assert response["Location"] == detail(lead)
    assert (lead.owner, lead.team, lead.source, lead.status) == (rep, rep.team, web_source, "new")
    assert list(lead.status_changes.values_list("to_status", flat=True)) == ["new"]


def test_create_shows_errors_beside_fields(rep_client):
    response = rep_client.post(reverse("leads:create"), {"email": "not-an-email"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Enter a valid email address." in body
    assert Lead.objects.count() == 0


@pytest.mark.parametrize("website", ["javascript:alert(1)", "ftp://files.x.example"])
def test_a_lead_website_must_be_a_web_address_on_create_and_edit(rep_client, lead, rep, website):
    data = {"last_name": "Lee", "owner": rep.pk, "website": website}

    created = rep_client.post(reverse("leads:create"), data)
    edited = rep_client.post(reverse("leads:edit", args=[lead.pk]), data)

    for response in (created, edited):
        assert response.context["form"].errors["website"] == ["Enter a valid URL."]
    assert Lead.objects.count() == 1
    lead.refresh_from_db()
    assert (lead.last_name, lead.website) == ("Doe", "")


def test_rep_cannot_hand_a_lead_to_another_team(rep_client, other_rep):
    response = rep_client.post(reverse("leads:create"), {"last_name": "Lee", "owner": other_rep.pk})
    assert "Select a valid choice." in response.content.decode()
    assert Lead.objects.count() == 0


def test_rep_edits_a_lead(rep_client, lead, rep):
    response = rep_client.post(
        reverse("leads:edit", args=[lead.pk]),
        {"first_name": "Janet", "last_name": "Doe", "owner": rep.pk, "email": lead.email},
    )
    assert response["Location"] == detail(lead)
    lead.refresh_from_db()
    assert lead.first_name == "Janet"


def test_converted_lead_cannot_be_edited(rep_client, lead, rep):
    services.convert_lead(lead, by=rep)

    response = rep_client.post(
        reverse("leads:edit", args=[lead.pk]), {"last_name": "Changed", "owner": rep.pk}
    )

    assert response["Location"] == detail(lead)
    lead.refresh_from_db()
    assert lead.last_name == "Doe"


@pytest.mark.parametrize("name", ["create", "edit"])
def test_forms_anonymous_goes_to_login(client, lead, name):
    url = reverse("leads:create") if name == "create" else reverse("leads:edit", args=[lead.pk])
    assert client.get(url)["Location"].startswith("/accounts/login/")


def test_unowned_lead_stays_in_the_creators_team(rep_client, rep):
    rep_client.post(reverse("leads:create"), {"last_name": "Nobody's", "owner": ""})

    lead = Lead.objects.get()
    assert (lead.owner, lead.team) == (None, rep.team)
    assert rep_client.get(detail(lead)).status_code == 200


@pytest.mark.parametrize("rows", [1, 3])
def test_detail_query_count_does_not_grow(rep_client, lead, rep, rows, django_assert_num_queries):
    for number in range(rows):
        make_lead(last_name=f"Twin {number}", email=lead.email, owner=rep)
        make_contact(last_name=f"Contact {number}", phone=lead.phone, owner=rep)
        make_company(name=f"Acme {number}", email_domain="acme.example", owner=rep)
        LeadStatusChange.objects.create(
            lead=lead, from_status="new", to_status="new", note=f"Call {number}", changed_by=rep
        )
    # session, user, the user's team (menu), the lead, its conversion, duplicate leads,
    # contacts and companies, the history, the activity timeline (badges, activities, changes,
    # field changes)
    with django_assert_num_queries(13):
        response = rep_client.get(detail(lead))
    assert len(response.context["duplicate_leads"]) == rows


def test_the_phone_link_keeps_the_country_code(rep_client, rep):
    lead = make_lead(owner=rep, phone="+34 944 000 111")

    html = rep_client.get(reverse("leads:detail", args=[lead.pk])).content.decode()

    assert 'href="tel:+34944000111"' in html
