import pytest
from django.urls import reverse

from leads.urls import urlpatterns

PRIVATE = [p.name for p in urlpatterns if p.name != "web_form"]


@pytest.mark.parametrize("name", PRIVATE)
def test_every_leads_page_but_the_web_form_needs_a_login(client, db, name):
    args = [1] if "<int:pk>" in str(next(p for p in urlpatterns if p.name == name).pattern) else []
    path = reverse(f"leads:{name}", args=args)

    response = client.get(path)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def test_the_web_form_is_public(client, db):
    assert 'name="name"' in client.get(reverse("leads:web_form")).content.decode()
