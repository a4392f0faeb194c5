"""An integration never overwrites a person's edit, and a retried POST does its work once."""

from crm.models import Company
from leads.models import Lead
from tests.factories import make_company, make_lead, make_pipeline

JSON = "application/json"


def test_a_record_carries_its_version_as_etag(rep, api_client):
    company = make_company(owner=rep)

    response = api_client(rep).get(f"/api/v1/companies/{company.pk}/")

    assert (response["ETag"], response.json()["version"]) == ('"1"', 1)


def test_a_patch_with_a_stale_if_match_is_412_with_the_record_as_it_is(rep, api_client):
    company = make_company(owner=rep, name="Acme")
    client = api_client(rep)
    client.patch(f"/api/v1/companies/{company.pk}/", {"name": "Acme Ltd"}, content_type=JSON)

    response = client.patch(
        f"/api/v1/companies/{company.pk}/",
        {"name": "Acme Inc"},
        content_type=JSON,
        headers={"If-Match": '"1"'},
    )

    assert (response.status_code, response["ETag"]) == (412, '"2"')
    assert response.json()["name"] == "Acme Ltd"
    assert Company.objects.get().name == "Acme Ltd"


def test_a_patch_at_the_current_version_saves(rep, api_client):
    company = make_company(owner=rep, name="Acme")

    response = api_client(rep).patch(
        f"/api/v1/companies/{company.pk}/",
        {"industry": "Tools"},
        content_type=JSON,
        headers={"If-Match": '"1"'},
    )

    assert (response.status_code, response["ETag"]) == (200, '"2"')
    assert Company.objects.values_list("name", "industry").get() == ("Acme", "Tools")


def test_an_action_with_a_stale_if_match_is_refused(rep, api_client):
    lead = make_lead(owner=rep)
    Lead.objects.filter(pk=lead.pk).update(version=2)

    response = api_client(rep).post(
        f"/api/v1/leads/{lead.pk}/qualify/", headers={"If-Match": '"1"'}
    )

    assert (response.status_code, response.json()["status"]) == (412, "new")
    assert Lead.objects.get().status == Lead.Status.NEW


def test_a_retried_create_with_the_same_key_creates_one_record(rep, api_client):
    client = api_client(rep)
    body = {"last_name": "Once", "email": "once@example.com"}
    key = {"Idempotency-Key": "form-submission-17"}

    first = client.post("/api/v1/leads/", body, content_type=JSON, headers=key)
    again = client.post("/api/v1/leads/", body, content_type=JSON, headers=key)

    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert Lead.objects.count() == 1


def test_the_same_key_with_another_body_is_422(rep, api_client):
    client = api_client(rep)
    key = {"Idempotency-Key": "k-1"}
    client.post("/api/v1/leads/", {"last_name": "One"}, content_type=JSON, headers=key)

    response = client.post("/api/v1/leads/", {"last_name": "Two"}, content_type=JSON, headers=key)

    assert response.status_code == 422
    assert Lead.objects.values_list("last_name", flat=True).get() == "One"


def test_keys_are_per_user(rep, teammate, api_client):
    key = {"Idempotency-Key": "same"}
    body = {"last_name": "Shared key"}

    api_client(rep).post("/api/v1/leads/", body, content_type=JSON, headers=key)
    api_client(teammate).post("/api/v1/leads/", body, content_type=JSON, headers=key)

    assert Lead.objects.count() == 2


def test_a_retried_conversion_returns_the_first(rep, api_client):
    pipeline = make_pipeline()
    lead = make_lead(owner=rep, company_name="Acme")
    client = api_client(rep)
    body = {"create_opportunity": True, "stage": pipeline.stages.first().pk}
    key = {"Idempotency-Key": "convert-1"}

    first = client.post(f"/api/v1/leads/{lead.pk}/convert/", body, content_type=JSON, headers=key)
    again = client.post(f"/api/v1/leads/{lead.pk}/convert/", body, content_type=JSON, headers=key)

    assert (first.status_code, again.json()) == (201, first.json())
    assert first.json()["opportunity"] is not None
    assert Lead.objects.get().status == Lead.Status.CONVERTED
