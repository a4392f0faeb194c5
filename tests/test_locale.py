"""English and Spanish: the browser picks the language unless the user's profile says otherwise."""

import re

import pytest
from django.test import Client
from django.utils import timezone

from tests.factories import make_opportunity, make_user


def test_login_page_is_in_spanish_for_a_spanish_browser(db):
    response = Client().get("/accounts/login/", headers={"accept-language": "es"})

    page = response.content.decode()
    assert response["Content-Language"] == "es"
    assert '<html lang="es">' in page
    assert "Inicie sesión en el CRM" in page
    assert "Log in to the CRM" not in page


def test_login_page_is_in_english_by_default(db):
    response = Client().get("/accounts/login/")

    page = response.content.decode()
    assert response["Content-Language"] == "en"
    assert "Log in to the CRM" in page


@pytest.mark.parametrize(
    ("profile", "accepted", "page_language", "greeting", "log_out"),
    [
        ("es", "en-GB,en;q=0.9", "es", "Buenos días, Lucía", "Cerrar sesión"),
        ("en", "es", "en", "Good day, Lucía", "Log out"),
        ("", "es", "es", "Buenos días, Lucía", "Cerrar sesión"),
    ],
    ids=[
        "a Spanish profile in an English browser",
        "an English profile in a Spanish browser",
        "no profile language in a Spanish browser",
    ],
)
def test_the_profile_language_wins_over_the_browser_unless_it_is_empty(
    client_for, db, profile, accepted, page_language, greeting, log_out
):
    client = client_for(make_user(first_name="Lucía", language=profile))

    response = client.get("/", headers={"accept-language": accepted})

    page = response.content.decode()
    assert response["Content-Language"] == page_language
    assert greeting in page
    assert log_out in page


def test_the_login_lock_is_explained_in_spanish(db, settings):
    settings.LOGIN_LOCK_ATTEMPTS = 1
    settings.LOGIN_LOCK_SECONDS = 60
    make_user(username="lucia")

    response = Client().post(
        "/accounts/login/",
        {"username": "lucia", "password": "wrong"},
        headers={"accept-language": "es"},
    )

    assert (
        "Demasiados intentos fallidos de iniciar sesión en esta cuenta desde su dirección. "
        "Inténtelo de nuevo dentro de 1 minuto."
    ) in response.content.decode()


@pytest.fixture
def spanish_rep_client(rep, client_for):
    """Alice's browser session, with Spanish chosen in her profile."""
    rep.language = "es"
    rep.save(update_fields=["language"])
    return client_for(rep)


def test_date_pickers_hold_iso_dates_in_spanish(spanish_rep_client, rep):
    """A browser date picker shows nothing for "27/11/2026": in Spanish too, its value is ISO."""
    client = spanish_rep_client
    today = timezone.localdate().isoformat()
    deal = make_opportunity(owner=rep)

    log_form = client.get(f"/activities/log/?opportunity={deal.pk}").content.decode()
    report = client.get("/reports/?period=custom&start=2026-01-05&end=2026-02-05").content.decode()

    assert 'lang="es"' in log_form
    assert f'type="date" name="done_on" value="{today}"' in log_form
    assert 'value="2026-01-05"' in report


def test_the_empty_choice_of_a_select_is_in_spanish(spanish_rep_client):
    html = spanish_rep_client.get("/contacts/new/").content.decode()

    assert "- Seleccione una opción -" in html
    assert "Select an option" not in html


def test_my_day_names_the_day_as_each_language_writes_it(client_for, db):
    client = client_for(make_user(language="es"))
    today = timezone.localdate()

    page = client.get("/").content.decode()

    # "Viernes, 27 de noviembre de 2026"
    assert re.search(rf"[A-ZÁÉÍÓÚ][a-záéíóú]+, {today.day} de [a-z]+ de {today.year}", page)


def test_dashboard_counts_read_right_whatever_the_number(client_for, db):
    client = client_for(make_user(language="es", role="manager"))

    page = client.get("/reports/").content.decode()

    assert "ganadas: 0 (" in page
    assert "cualificados: 0, convertidos: 0, ganadas: 0" in page
