"""A user makes a personal token on their profile, a program uses it, the user (or an admin)
revokes it."""

import datetime
import hashlib

from django.test import Client
from django.utils import timezone

from api.models import ApiToken
from api.services import create_token
from crm.models import User

SCHEMA = "/api/v1/schema/"
LEADS = "/api/v1/leads/"


def test_the_profile_links_to_the_tokens_page(rep_client):
    response = rep_client.get("/accounts/profile/")

    assert 'href="/api/tokens/"' in response.content.decode()


def test_a_new_token_is_shown_once_and_stored_hashed(rep, rep_client):
    response = rep_client.post("/api/tokens/", {"name": "Website", "scope": "write"})

    token = ApiToken.objects.get()
    secret = response.context["created"].secret
    assert (token.user, token.name, token.scope) == (rep, "Website", "write")
    assert token.hashed == hashlib.sha256(secret.encode()).hexdigest()
    assert secret.startswith(f"crm_{token.prefix}_")
    assert secret in response.content.decode()
    assert secret not in rep_client.get("/api/tokens/").content.decode()


def test_a_token_expiring_today_is_refused(rep_client):
    today = timezone.localdate().isoformat()

    response = rep_client.post(
        "/api/tokens/", {"name": "Old", "scope": "read", "expires_on": today}
    )

    assert response.context["form"].errors == {"expires_on": ["Choose a day after today."]}
    assert ApiToken.objects.count() == 0


def test_a_token_acts_as_its_user_and_notes_its_use(rep, api_client):
    response = api_client(rep).get(LEADS)

    assert response.status_code == 200
    assert response.json()["results"] == []
    assert ApiToken.objects.get().last_used_at is not None


def test_no_token_or_a_wrong_one_is_a_401_in_json(db):
    anonymous = Client().get(LEADS)
    wrong = Client(headers={"Authorization": "Bearer crm_nope_nope"}).get(LEADS)

    assert (anonymous.status_code, anonymous["WWW-Authenticate"]) == (401, 'Bearer realm="api"')
    assert anonymous.json() == {"detail": "Authentication credentials were not provided."}
    assert (wrong.status_code, wrong.json()) == (
        401,
        {"detail": "This token is not valid, or has expired."},
    )


def test_a_revoked_or_expired_token_no_longer_works(rep, rep_client):
    revoked = create_token(user=rep, name="Revoked", scope="read")
    expired = create_token(
        user=rep,
        name="Expired",
        scope="read",
        expires_at=timezone.now() - datetime.timedelta(minutes=1),
    )

    rep_client.post(f"/api/tokens/{revoked.token.pk}/revoke/")

    for secret in (revoked.secret, expired.secret):
        response = Client(headers={"Authorization": f"Bearer {secret}"}).get(LEADS)
        assert response.status_code == 401
    assert ApiToken.objects.get(pk=revoked.token.pk).revoked_at is not None


def test_another_users_token_cannot_be_revoked(rep, other_client):
    token = create_token(user=rep, name="Mine", scope="read").token

    response = other_client.post(f"/api/tokens/{token.pk}/revoke/")

    assert response.status_code == 404
    assert ApiToken.objects.get().revoked_at is None


def test_a_read_only_token_reads_but_cannot_write(rep, api_client):
    client = api_client(rep, scope="read")

    read = client.get(LEADS)
    write = client.post(LEADS, {"last_name": "Nope"}, content_type="application/json")

    assert read.status_code == 200
    assert (write.status_code, write.json()) == (403, {"detail": "This token is read-only."})


def test_errors_come_in_the_users_language(rep, api_client):
    rep.language = "es"
    rep.save(update_fields=["language"])

    response = api_client(rep, scope="read").get(f"{LEADS}999999/")

    assert (response.status_code, response.json()) == (404, {"detail": "No encontrado."})


def test_an_inactive_users_token_is_refused(rep, api_client):
    client = api_client(rep)
    User.objects.filter(pk=rep.pk).update(is_active=False)

    assert client.get(LEADS).status_code == 401


def test_an_admin_sees_every_token_and_revokes_them(rep, other_rep, admin_client):
    create_token(user=rep, name="Alice's", scope="read")
    create_token(user=other_rep, name="Charlie's", scope="write")

    listing = admin_client.get("/admin/api/apitoken/")
    ids = [str(pk) for pk in ApiToken.objects.values_list("pk", flat=True)]
    admin_client.post(
        "/admin/api/apitoken/", {"action": "revoke", "_selected_action": ids}, follow=True
    )

    assert "Alice&#x27;s" in listing.content.decode()
    assert "Charlie&#x27;s" in listing.content.decode()
    assert ApiToken.objects.filter(revoked_at__isnull=True).count() == 0
