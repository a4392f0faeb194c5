"""The people every story starts from.

Team North: alice and bob (reps), managed by mia. Team South: charlie (rep). Ada is an admin.
"""

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client
from django.utils import translation

from crm.models import User
from tests.factories import make_team, make_user


@pytest.fixture
def north(db):
    return make_team(name="North")


@pytest.fixture
def south(db):
    return make_team(name="South")


@pytest.fixture
def manager(north):
    user = make_user(username="mia", first_name="Mia", last_name="Manager", role=User.Role.MANAGER)
    north.manager = user
    north.save(update_fields=["manager"])
    return user


@pytest.fixture
def rep(north, manager):
    return make_user(username="alice", first_name="Alice", last_name="Rep", team=north)


@pytest.fixture
def teammate(north, manager):
    return make_user(username="bob", first_name="Bob", last_name="Rep", team=north)


@pytest.fixture
def other_rep(south):
    return make_user(username="charlie", first_name="Charlie", last_name="Rep", team=south)


@pytest.fixture
def admin_user(db):
    return make_user(
        username="ada",
        first_name="Ada",
        last_name="Admin",
        role=User.Role.ADMIN,
        is_staff=True,
        is_superuser=True,
    )


def _client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _logged_in(user_fixture: str):
    """A fixture: a browser session of the user that ``user_fixture`` gives."""

    @pytest.fixture
    def client_fixture(request):
        return _client_for(request.getfixturevalue(user_fixture))

    return client_fixture


rep_client = _logged_in("rep")
teammate_client = _logged_in("teammate")
other_client = _logged_in("other_rep")
manager_client = _logged_in("manager")
admin_client = _logged_in("admin_user")


@pytest.fixture
def htmx_headers():
    """Headers that make a request look like htmx's own (a fragment is expected back)."""
    return {"HX-Request": "true", "HX-Current-URL": "http://testserver/"}


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache (login locks and rate limits must not leak between
    tests) and in the default language (a Spanish page must not leave its language behind)."""
    cache.clear()
    translation.activate(settings.LANGUAGE_CODE)
    yield
    cache.clear()
    translation.deactivate()


@pytest.fixture
def api_client():
    """A program calling the API with a personal token: ``api_client(user, scope="write")``."""
    from api.services import create_token

    def client_for(user, *, scope: str = "write") -> Client:
        secret = create_token(user=user, name="Tests", scope=scope).secret
        return Client(headers={"Authorization": f"Bearer {secret}"})

    return client_for
