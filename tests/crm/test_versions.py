"""Two people edit the same company or contact: the second save is refused, nothing of the first
is lost, and the second person sees what changed meanwhile and keeps what they typed."""

import pytest
from django.urls import reverse

from crm.models import Company, Contact
from crm.versions import StaleEdit, save_if_current
from tests.factories import make_company, make_contact
from tests.posted import form_data, save_as_loaded


def edit_url(record) -> str:
    return reverse(f"crm:{record._meta.model_name}_edit", args=[record.pk])


def admin_url(record) -> str:
    return reverse(f"admin:crm_{record._meta.model_name}_change", args=[record.pk])


def changes(response) -> list[tuple[str, str, str | None]]:
    return [(c.label, c.now, c.yours) for c in response.context["changed_meanwhile"]]


# --- the checked save ----------------------------------------------------------------------


def test_a_save_at_the_current_version_writes_and_raises_it(rep):
    company = make_company(name="Acme", owner=rep)
    company.phone = "+34612345678"

    save_if_current(company, version=1, fields=["phone"])

    stored = Company.objects.get(pk=company.pk)
    assert (stored.phone, stored.version, company.version) == ("+34612345678", 2, 2)


def test_a_save_at_an_older_version_writes_nothing_and_says_what_is_saved(rep):
    company = make_company(name="Acme", owner=rep)
    save_if_current(company, version=1, fields=["name"])
    stale = Company.objects.get(pk=company.pk)
    stale.version = 1
    stale.name = "Acme Stale"

    with pytest.raises(StaleEdit) as refused:
        save_if_current(stale, version=1, fields=["name"])

    assert (refused.value.current.name, refused.value.current.version) == ("Acme", 2)
    assert Company.objects.values_list("name", "version").get() == ("Acme", 2)


def test_a_save_of_nothing_is_still_refused_when_stale(rep):
    company = make_company(name="Acme", owner=rep)
    save_if_current(company, version=1, fields=["name"])

    with pytest.raises(StaleEdit):
        save_if_current(company, version=1, fields=[])
    assert Company.objects.get(pk=company.pk).version == 2


# --- the company and contact pages ---------------------------------------------------------


def test_edit_form_carries_the_version_and_the_loaded_values(rep_client, rep):
    company = make_company(name="Acme", owner=rep, phone="+34612345678")

    loaded = form_data(rep_client.get(edit_url(company)))

    assert (loaded["version"], loaded["initial-phone"], loaded["phone"]) == (
        "1",
        "+34612345678",
        "+34612345678",
    )


def test_a_reps_stale_notes_edit_keeps_the_managers_new_phone(rep_client, manager_client, rep):
    company = make_company(name="Acme", owner=rep, phone="+34612345678", notes="Old notes")
    reps_form = form_data(rep_client.get(edit_url(company)))
    save_as_loaded(manager_client, edit_url(company), phone="+34699000111")

    response = rep_client.post(edit_url(company), reps_form | {"notes": "Met at the fair"})

    # Refused: the manager's phone stands and the rep's notes are not written yet.
    company.refresh_from_db()
    assert (company.phone, company.notes, company.version) == ("+34699000111", "Old notes", 2)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Someone else saved this record while you were editing it." in html
    assert changes(response) == [("Phone", "+34699000111", None)]
    # The form keeps the rep's notes, takes the manager's phone, and is at the new version.
    again = form_data(response)
    assert (again["notes"], again["phone"], again["version"]) == (
        "Met at the fair",
        "+34699000111",
        "2",
    )

    rep_client.post(edit_url(company), again)

    company.refresh_from_db()
    assert (company.phone, company.notes, company.version) == (
        "+34699000111",
        "Met at the fair",
        3,
    )


def test_both_changing_the_same_field_shows_theirs_and_keeps_yours(rep_client, manager_client, rep):
    company = make_company(name="Acme", owner=rep, industry="Retail")
    reps_form = form_data(rep_client.get(edit_url(company)))
    save_as_loaded(manager_client, edit_url(company), industry="Energy")

    response = rep_client.post(edit_url(company), reps_form | {"industry": "Mining"})

    assert changes(response) == [("Industry", "Energy", "Mining")]
    assert form_data(response)["industry"] == "Mining"
    assert Company.objects.get(pk=company.pk).industry == "Energy"


def test_a_stale_form_with_no_changes_is_refused_and_shows_the_newer_values(
    rep_client, manager_client, rep
):
    company = make_company(name="Acme", owner=rep)
    reps_form = form_data(rep_client.get(edit_url(company)))
    save_as_loaded(manager_client, edit_url(company), name="Acme SA")

    response = rep_client.post(edit_url(company), reps_form)

    assert changes(response) == [("Name", "Acme SA", None)]
    assert form_data(response)["name"] == "Acme SA"
    assert Company.objects.values_list("name", "version").get() == ("Acme SA", 2)


def test_a_save_that_changes_nothing_leaves_the_version(rep_client, rep):
    company = make_company(name="Acme", owner=rep)

    response = save_as_loaded(rep_client, edit_url(company))

    assert response.url == company.get_absolute_url()
    assert Company.objects.get(pk=company.pk).version == 1


def test_two_people_edit_a_contact_the_second_is_refused(rep_client, manager_client, rep):
    contact = make_contact(first_name="Pat", last_name="Doe", owner=rep, job_title="Buyer")
    reps_form = form_data(rep_client.get(edit_url(contact)))
    save_as_loaded(manager_client, edit_url(contact), email="pat@acme.example")

    response = rep_client.post(edit_url(contact), reps_form | {"job_title": "Head of buying"})

    contact.refresh_from_db()
    assert (contact.email, contact.job_title, contact.version) == ("pat@acme.example", "Buyer", 2)
    assert changes(response) == [("Email", "pat@acme.example", None)]
    again = form_data(response)
    assert (again["email"], again["job_title"]) == ("pat@acme.example", "Head of buying")


def test_the_message_is_in_spanish_for_a_spanish_user(rep_client, manager_client, rep):
    rep.language = "es"
    rep.save(update_fields=["language"])
    company = make_company(name="Acme", owner=rep)
    reps_form = form_data(rep_client.get(edit_url(company)))
    save_as_loaded(manager_client, edit_url(company), name="Acme SA")

    html = rep_client.post(edit_url(company), reps_form).content.decode()

    assert "Otra persona guardó este registro mientras usted lo editaba." in html
    assert "Cambiado entretanto:" in html


def test_a_post_without_a_version_counts_as_loaded_now(rep_client, rep):
    # A page served before records had versions posts none: it saves as it always did.
    company = make_company(name="Acme", owner=rep)

    rep_client.post(edit_url(company), {"name": "Acme Ltd", "owner": rep.pk})

    assert Company.objects.values_list("name", "version").get() == ("Acme Ltd", 2)


# --- the admin ----------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["company", "contact"])
def test_the_admin_refuses_a_stale_save_and_keeps_what_was_typed(
    admin_client, manager_client, rep, kind
):
    record = (
        make_company(name="Acme", owner=rep, notes="")
        if kind == "company"
        else make_contact(last_name="Doe", owner=rep, notes="")
    )
    loaded = form_data(admin_client.get(admin_url(record)))
    assert loaded["version"] == "1"
    save_as_loaded(manager_client, edit_url(record), phone="+34699000111")

    response = admin_client.post(admin_url(record), loaded | {"notes": "Checked by the admin"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "Someone else saved this record while you were editing it." in html
    assert "Phone, now saved: “+34699000111”" in html
    stored = type(record).objects.get(pk=record.pk)
    assert (stored.phone, stored.notes, stored.version) == ("+34699000111", "", 2)

    response = admin_client.post(admin_url(record), form_data(response))

    assert response.status_code == 302
    stored = type(record).objects.get(pk=record.pk)
    assert (stored.phone, stored.notes, stored.version) == (
        "+34699000111",
        "Checked by the admin",
        3,
    )


def test_an_admin_save_raises_the_version_so_an_open_page_form_is_stale(
    admin_client, rep_client, rep
):
    contact = make_contact(last_name="Doe", owner=rep)
    reps_form = form_data(rep_client.get(edit_url(contact)))
    save_as_loaded(admin_client, admin_url(contact), job_title="CEO")

    response = rep_client.post(edit_url(contact), reps_form | {"notes": "Call back"})

    assert changes(response) == [("Job title", "CEO", None)]
    assert Contact.objects.values_list("job_title", "notes", "version").get() == ("CEO", "", 2)
