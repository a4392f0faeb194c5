"""The people every story starts from, and the pipeline their deals go through.

Team North: alice and bob (reps), managed by mia. Team South: charlie (rep), managed by sam.
Ada is an admin. The Sales pipeline: Qualification, Proposal, Negotiation.
"""

import importlib

import pytest
from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.test import Client
from django.utils import translation

from crm.models import User
from opportunities.models import Pipeline
from tests.factories import make_pipeline, make_team, make_user


@pytest.fixture
def north(db):
    return make_team(name="North")


@pytest.fixture
def south(db):
    return make_team(name="South")


def _person(name: str, **fields) -> User:
    """A user called ``name`` ("Alice Rep"), who logs in as the first name in lower case."""
    first_name, last_name = name.split()
    return make_user(
        username=first_name.lower(), first_name=first_name, last_name=last_name, **fields
    )


def _manager_of(team, name: str) -> User:
    user = _person(name, role=User.Role.MANAGER)
    team.manager = user
    team.save(update_fields=["manager"])
    return user


@pytest.fixture
def manager(north):
    return _manager_of(north, "Mia Manager")


@pytest.fixture
def rep(north, manager):
    return _person("Alice Rep", team=north)


@pytest.fixture
def teammate(north, manager):
    return _person("Bob Rep", team=north)


@pytest.fixture
def other_rep(south):
    return _person("Charlie Rep", team=south)


@pytest.fixture
def south_manager(south):
    return _manager_of(south, "Sam South")


@pytest.fixture
def admin_user(db):
    return _person("Ada Admin", role=User.Role.ADMIN, is_staff=True, is_superuser=True)


@pytest.fixture
def pipeline(db):
    """The default pipeline: Qualification (30 %), Proposal (60 %), Negotiation (90 %)."""
    Pipeline.objects.update(is_default=False)
    return make_pipeline(name="Sales", is_default=True)


@pytest.fixture
def stages(pipeline):
    return list(pipeline.stages.order_by("order"))


def _client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _logged_in(user_fixture: str):
    """A fixture: a browser session of the user that ``user_fixture`` gives."""

    # ``db`` named here: the user is only asked for inside, too late for pytest-django to set
    # the test database up for a test that asks for nothing else.
    @pytest.fixture
    def client_fixture(request, db):
        return _client_for(request.getfixturevalue(user_fixture))

    return client_fixture


@pytest.fixture
def client_for():
    """A function that gives a browser session of the user it is handed."""
    return _client_for


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


@pytest.fixture
def reference_data(transactional_db):
    """The default pipeline, lead sources and reasons the demo data stands on: the migrations
    made them, and the flush after any transactional test takes them away."""
    for module in (
        "opportunities.migrations.0002_default_pipeline",
        "leads.migrations.0004_seed_sources_and_reasons",
    ):
        importlib.import_module(module).seed(apps, None)
