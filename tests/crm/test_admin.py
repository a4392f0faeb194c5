"""The Django admin: admins see everything; a staff manager sees only their teams' records."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from tests.factories import make_company, make_contact


@pytest.fixture
def staff_manager_client(manager, client):
    manager.is_staff = True
    manager.save(update_fields=["is_staff"])
    manager.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label="crm",
            codename__in=[
                "view_company",
                "change_company",
                "view_contact",
                "change_contact",
                "view_user",
                "view_team",
            ],
        )
    )
    client.force_login(manager)
    return client


@pytest.fixture
def records(rep, other_rep):
    north_company = make_company(name="North Co", owner=rep, industry="Energy")
    south_company = make_company(name="South Co", owner=other_rep)
    make_contact(first_name="Nora", last_name="North", company=north_company, owner=rep)
    make_contact(first_name="Sam", last_name="South", company=south_company, owner=other_rep)


@pytest.mark.parametrize(
    ("url_name", "expected"),
    [
        ("admin:crm_company_changelist", ["North Co", "South Co"]),
        ("admin:crm_contact_changelist", ["Nora North", "Sam South"]),
        ("admin:crm_user_changelist", ["Ada Admin", "Alice Rep", "Charlie Rep", "Mia Manager"]),
        ("admin:crm_team_changelist", ["North", "South"]),
    ],
)
def test_admin_changelists_show_everything_to_an_admin(admin_client, records, url_name, expected):
    response = admin_client.get(reverse(url_name))

    assert sorted(str(row) for row in response.context["cl"].result_list) == expected


def test_admin_company_changelist_is_scoped_for_a_staff_manager(staff_manager_client, records):
    response = staff_manager_client.get(reverse("admin:crm_company_changelist"))

    assert [company.name for company in response.context["cl"].result_list] == ["North Co"]
    assert "South Co" not in response.text


def test_admin_contact_changelist_is_scoped_for_a_staff_manager(staff_manager_client, records):
    response = staff_manager_client.get(reverse("admin:crm_contact_changelist"))

    assert [str(contact) for contact in response.context["cl"].result_list] == ["Nora North"]


def test_admin_team_and_user_lists_are_scoped_for_a_staff_manager(staff_manager_client, records):
    teams = staff_manager_client.get(reverse("admin:crm_team_changelist"))
    users = staff_manager_client.get(reverse("admin:crm_user_changelist"))

    assert [team.name for team in teams.context["cl"].result_list] == ["North"]
    assert sorted(user.username for user in users.context["cl"].result_list) == ["alice", "mia"]


def test_admin_company_of_another_team_is_not_found_for_a_staff_manager(
    staff_manager_client, other_rep
):
    company = make_company(owner=other_rep)

    response = staff_manager_client.get(reverse("admin:crm_company_change", args=[company.pk]))

    # The admin answers a record outside the queryset with a redirect to its index.
    assert response.status_code == 302
    assert response.url == reverse("admin:index")


def test_admin_company_change_page_loads_with_contacts_inline(admin_client, rep):
    company = make_company(name="Acme", owner=rep)
    make_contact(first_name="Ana", last_name="Ruiz", company=company, owner=rep)

    response = admin_client.get(reverse("admin:crm_company_change", args=[company.pk]))

    assert "Ana" in response.text
    assert "Ruiz" in response.text


def test_admin_user_change_page_shows_sales_fields(admin_client, rep):
    response = admin_client.get(reverse("admin:crm_user_change", args=[rep.pk]))

    assert 'name="role"' in response.text
    assert 'name="team"' in response.text
    assert 'name="language"' in response.text


def test_admin_team_page_lists_members(admin_client, north, rep, teammate):
    response = admin_client.get(reverse("admin:crm_team_change", args=[north.pk]))

    assert "alice" in response.text
    assert "bob" in response.text


def test_admin_owner_autocomplete_is_scoped_for_a_staff_manager(
    staff_manager_client, rep, other_rep
):
    response = staff_manager_client.get(
        reverse("admin:autocomplete"),
        {"app_label": "crm", "model_name": "company", "field_name": "owner", "term": ""},
    )

    names = sorted(result["text"] for result in response.json()["results"])
    assert names == ["Alice Rep", "Mia Manager"]
