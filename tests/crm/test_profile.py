"""The profile page: a user changes their own name, email and language."""

from django.urls import reverse

URL = reverse("profile")


def test_profile_shows_the_users_details(rep_client, rep):
    response = rep_client.get(URL)

    assert "Your profile" in response.text
    assert 'value="Alice"' in response.text


def test_profile_saves_changes(rep_client, rep):
    response = rep_client.post(
        URL, {"first_name": "Alicia", "last_name": "Rep", "email": "a@x.es", "language": "es"}
    )

    rep.refresh_from_db()
    assert response.url == URL
    assert (rep.first_name, rep.email, rep.language) == ("Alicia", "a@x.es", "es")


def test_profile_confirms_in_the_language_just_chosen(rep_client, rep):
    response = rep_client.post(
        URL,
        {"first_name": "Alice", "last_name": "Rep", "email": "a@x.es", "language": "es"},
        follow=True,
    )

    assert "Se ha guardado su perfil." in response.text


def test_profile_refuses_a_bad_email_beside_the_field(rep_client, rep):
    email_before = rep.email

    response = rep_client.post(URL, {"first_name": "Alice", "last_name": "Rep", "email": "nope"})

    rep.refresh_from_db()
    assert rep.email == email_before
    assert "Enter a valid email address." in response.text
    assert "is-invalid" in response.text


def test_profile_rejects_put(rep_client):
    assert rep_client.put(URL).status_code == 405


def test_profile_sends_anonymous_to_login(client):
    assert client.get(URL).url == f"/accounts/login/?next={URL}"
