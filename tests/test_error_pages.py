"""Error pages look like the rest of the app: a user who follows a link to a record they cannot
open (a 404, by design) still has the navigation and a way back."""

from django.template.loader import render_to_string

from tests.factories import make_company


def test_a_record_of_another_team_answers_with_the_app_own_404_page(rep_client, other_rep):
    company = make_company(name="Southern secret", owner=other_rep)

    response = rep_client.get(company.get_absolute_url())

    html = response.content.decode()
    assert response.status_code == 404
    assert "<title>Page not found · CRM</title>" in html
    assert 'class="navbar' in html
    assert '<a class="btn btn-primary" href="/">Back to my day</a>' in html
    assert "Southern secret" not in html


def test_the_500_page_renders_without_any_context():
    html = render_to_string("500.html")

    assert "<title>Something went wrong · CRM</title>" in html
    assert 'href="/">Back to my day</a>' in html
