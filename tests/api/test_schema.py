"""The OpenAPI schema and the reference page."""

from django.test import Client

RESOURCES = [
    "leads",
    "companies",
    "contacts",
    "opportunities",
    "activities",
    "pipelines",
    "lost-reasons",
    "disqualify-reasons",
    "lead-sources",
    "users",
    "teams",
    "reports",
]


def test_the_schema_lists_every_resource(rep_client):
    response = rep_client.get("/api/v1/schema/", headers={"Accept": "application/json"})

    paths = response.json()["paths"]
    assert sorted({path.split("/")[3] for path in paths}) == sorted(RESOURCES)
    assert "/api/v1/leads/{id}/convert/" in paths
    assert "/api/v1/reports/team-performance/" in paths
    assert response.json()["components"]["securitySchemes"]["token"]["scheme"] == "bearer"


def test_the_schema_needs_a_caller():
    assert Client().get("/api/v1/schema/").status_code == 401


def test_the_reference_page_loads_its_assets_from_the_app_under_its_own_policy(rep_client):
    page = rep_client.get("/api/v1/docs/")
    script = rep_client.get("/api/v1/docs/?script=")

    html = page.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "https://" not in html
    policy = page["Content-Security-Policy"]
    assert "script-src 'self';" in policy
    assert "style-src 'self' 'unsafe-inline'" in policy
    assert (script.status_code, script["Content-Type"]) == (200, "application/javascript")
    assert "/api/v1/schema/" in script.content.decode()


def test_other_pages_keep_the_strict_policy(rep_client):
    assert "unsafe-inline" not in rep_client.get("/leads/")["Content-Security-Policy"]


def test_the_reference_page_sends_a_visitor_to_log_in():
    response = Client().get("/api/v1/docs/")

    assert (response.status_code, response["Location"]) == (
        302,
        "/accounts/login/?next=/api/v1/docs/",
    )


def test_the_schema_gives_the_errors_each_operation_may_answer(rep_client):
    schema = rep_client.get("/api/v1/schema/", headers={"Accept": "application/json"}).json()
    paths = schema["paths"]

    detail = paths["/api/v1/leads/{id}/"]
    assert sorted(detail["get"]["responses"]) == ["200", "400", "401", "404", "429"]
    assert sorted(detail["patch"]["responses"]) == [
        "200", "400", "401", "403", "404", "409", "412", "422", "429",
    ]  # fmt: skip
    # A list answers 404 to a cursor it did not give.
    assert "404" in paths["/api/v1/leads/"]["get"]["responses"]


def test_the_schema_lets_fields_leave_any_field_of_a_record_out(rep_client):
    schema = rep_client.get("/api/v1/schema/", headers={"Accept": "application/json"}).json()
    components = schema["components"]["schemas"]

    assert "required" not in components["Lead"]
    assert "required" not in components["Activity"]
    assert "last_name" in components["LeadRequest"]["required"]  # what a create must send
