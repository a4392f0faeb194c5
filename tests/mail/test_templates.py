"""Mia, a manager, keeps the email templates reps start from: one per name and language,
placeholders checked, HTML sanitised. To a rep the pages do not exist."""

import pytest

from mail.models import EmailTemplate
from tests.factories import make_email_template

pytestmark = pytest.mark.django_db


def template_form(**fields) -> dict:
    return {
        "name": "Follow-up",
        "language": "en",
        "subject": "About {{ opportunity.name }}",
        "body": "<p>Hello {{ contact.first_name }}</p>",
        **fields,
    }


def test_a_manager_adds_a_template_with_its_html_sanitised(manager_client):
    response = manager_client.post(
        "/mail/templates/new/",
        template_form(
            body='<p onmouseover="x()">Hello {{ contact.first_name }}<script>x</script></p>'
        ),
    )

    assert response.status_code == 302
    assert response["Location"] == "/mail/templates/"
    template = EmailTemplate.objects.get()
    assert (template.name, template.language, template.body) == (
        "Follow-up",
        "en",
        "<p>Hello {{ contact.first_name }}</p>",
    )
    listed = manager_client.get("/mail/templates/").content.decode()
    assert f'id="email-template-{template.pk}"' in listed
    assert "About {{ opportunity.name }}" in listed


def test_a_bad_placeholder_is_named_beside_the_field(manager_client):
    response = manager_client.post(
        "/mail/templates/new/", template_form(body="Hi {{ user.password }}")
    )

    assert response.status_code == 200
    assert "Unknown placeholder {{ user.password }}." in response.content.decode()
    assert EmailTemplate.objects.count() == 0


def test_a_template_name_is_unique_per_language(manager_client):
    make_email_template(name="Follow-up", language="en")

    same = manager_client.post("/mail/templates/new/", template_form())
    spanish = manager_client.post("/mail/templates/new/", template_form(language="es"))

    assert same.status_code == 200
    assert spanish.status_code == 302
    assert sorted(EmailTemplate.objects.values_list("language", flat=True)) == ["en", "es"]


def test_an_admin_edits_a_template(admin_client):
    template = make_email_template(name="Old")

    admin_client.post(f"/mail/templates/{template.pk}/", template_form(name="New"))

    template.refresh_from_db()
    assert template.name == "New"


def test_a_manager_deletes_a_template(manager_client):
    template = make_email_template()

    response = manager_client.post(f"/mail/templates/{template.pk}/delete/")

    assert response["Location"] == "/mail/templates/"
    assert EmailTemplate.objects.count() == 0


@pytest.mark.parametrize(
    "url", ["/mail/templates/", "/mail/templates/new/", "/mail/templates/{pk}/"]
)
def test_a_rep_does_not_find_the_template_pages(rep_client, url):
    template = make_email_template()

    assert rep_client.get(url.format(pk=template.pk)).status_code == 404
    assert rep_client.post(f"/mail/templates/{template.pk}/delete/").status_code == 404
    assert EmailTemplate.objects.count() == 1


def test_delete_refuses_get(manager_client):
    template = make_email_template()

    assert manager_client.get(f"/mail/templates/{template.pk}/delete/").status_code == 405


def test_the_template_list_asks_an_anonymous_visitor_to_log_in(client):
    assert client.get("/mail/templates/")["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("rows", [1, 3])
def test_template_list_query_count(manager_client, rows, django_assert_num_queries):
    for _ in range(rows):
        make_email_template()

    # session, user, the templates
    with django_assert_num_queries(3):
        html = manager_client.get("/mail/templates/").content.decode()
    assert html.count('id="email-template-') == rows
