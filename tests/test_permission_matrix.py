"""Who may open and post to every URL of the app, in one table a reviewer can read.

Every URL is asked for with GET and with an empty POST by seven people, with the records in
the URL owned by Alice (a rep of North): nobody logged in, Alice herself, Bob (her teammate),
Charlie (a rep of South), Mia (North's manager), Sam (South's manager) and Ada (an admin).
Each answer is written as:

    ok     a page, a file, or a redirect that is not to the login page
    login  a redirect to the login page
    NNN    any other status: 400, 401, 403, 404, 405...

A URL without a row, or a row whose URL is gone, fails the suite: a new URL cannot skip it.
The admin's URLs have one rule instead (below). Set ``PERMISSION_MATRIX=<file>`` to have the
rows as the app answers today written to that file, to compare with the table.
"""

import os

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import Client

from tests.url_walk import fill, records, routes

PEOPLE = ["anon", "owner", "mate", "other", "manager", "other_mgr", "admin"]

MATRIX = """
# URL name                        method anon   owner  mate   other  manager other_mgr admin
activities:calendar                GET   login  ok     404    404    ok     404    ok
activities:calendar                POST  login  405    405    405    405    405    405
activities:calendar_feed           GET   login  ok     ok     ok     ok     ok     ok
activities:calendar_feed           POST  login  ok     ok     ok     ok     ok     ok
activities:calendar_feed_revoke    GET   login  405    405    405    405    405    405
activities:calendar_feed_revoke    POST  login  ok     ok     ok     ok     ok     ok
activities:card                    GET   login  ok     404    404    ok     404    ok
activities:card                    POST  login  405    405    405    405    405    405
activities:complete                GET   login  ok     404    404    ok     404    ok
activities:complete                POST  login  ok     404    404    ok     404    ok
activities:delete                  GET   login  ok     404    404    ok     404    ok
activities:delete                  POST  login  ok     404    404    ok     404    ok
activities:list                    GET   login  ok     ok     ok     ok     ok     ok
activities:list                    POST  login  405    405    405    405    405    405
activities:log                     GET   login  ok     404    404    ok     404    ok
activities:log                     POST  login  ok     404    404    ok     404    ok
activities:note                    GET   login  ok     404    404    ok     404    ok
activities:note                    POST  login  ok     404    404    ok     404    ok
activities:schedule                GET   login  ok     404    404    ok     404    ok
activities:schedule                POST  login  ok     404    404    ok     404    ok
activities:timeline                GET   login  ok     404    404    ok     404    ok
activities:timeline                POST  login  405    405    405    405    405    405
api:activity-complete              GET   401    405    405    405    405    405    405
api:activity-complete              POST  401    400    404    404    400    404    400
api:activity-detail                GET   401    ok     404    404    ok     404    ok
api:activity-detail                POST  401    405    405    405    405    405    405
api:activity-list                  GET   401    ok     ok     ok     ok     ok     ok
api:activity-list                  POST  401    400    400    400    400    400    400
api:company-detail                 GET   401    ok     404    404    ok     404    ok
api:company-detail                 POST  401    405    405    405    405    405    405
api:company-list                   GET   401    ok     ok     ok     ok     ok     ok
api:company-list                   POST  401    400    400    400    400    400    400
api:contact-detail                 GET   401    ok     404    404    ok     404    ok
api:contact-detail                 POST  401    405    405    405    405    405    405
api:contact-list                   GET   401    ok     ok     ok     ok     ok     ok
api:contact-list                   POST  401    400    400    400    400    400    400
api:disqualify-reason-list         GET   401    ok     ok     ok     ok     ok     ok
api:disqualify-reason-list         POST  401    405    405    405    405    405    405
api:docs                           GET   login  ok     ok     ok     ok     ok     ok
api:docs                           POST  login  405    405    405    405    405    405
api:lead-bulk-assign               GET   401    405    405    405    405    405    405
api:lead-bulk-assign               POST  401    403    403    403    400    400    400
api:lead-convert                   GET   401    405    405    405    405    405    405
api:lead-convert                   POST  401    ok     404    404    ok     404    ok
api:lead-detail                    GET   401    ok     404    404    ok     404    ok
api:lead-detail                    POST  401    405    405    405    405    405    405
api:lead-disqualify                GET   401    405    405    405    405    405    405
api:lead-disqualify                POST  401    400    404    404    400    404    400
api:lead-list                      GET   401    ok     ok     ok     ok     ok     ok
api:lead-list                      POST  401    400    400    400    400    400    400
api:lead-qualify                   GET   401    405    405    405    405    405    405
api:lead-qualify                   POST  401    ok     404    404    ok     404    ok
api:lead-source-list               GET   401    ok     ok     ok     ok     ok     ok
api:lead-source-list               POST  401    405    405    405    405    405    405
api:lost-reason-list               GET   401    ok     ok     ok     ok     ok     ok
api:lost-reason-list               POST  401    405    405    405    405    405    405
api:opportunity-detail             GET   401    ok     404    404    ok     404    ok
api:opportunity-detail             POST  401    405    405    405    405    405    405
api:opportunity-list               GET   401    ok     ok     ok     ok     ok     ok
api:opportunity-list               POST  401    400    400    400    400    400    400
api:opportunity-lose               GET   401    405    405    405    405    405    405
api:opportunity-lose               POST  401    400    404    404    400    404    400
api:opportunity-move               GET   401    405    405    405    405    405    405
api:opportunity-move               POST  401    400    404    404    400    404    400
api:opportunity-reopen             GET   401    405    405    405    405    405    405
api:opportunity-reopen             POST  401    409    404    404    409    404    409
api:opportunity-win                GET   401    405    405    405    405    405    405
api:opportunity-win                POST  401    ok     404    404    ok     404    ok
api:pipeline-list                  GET   401    ok     ok     ok     ok     ok     ok
api:pipeline-list                  POST  401    405    405    405    405    405    405
api:report-forecast                GET   401    ok     ok     ok     ok     ok     ok
api:report-forecast                POST  401    405    405    405    405    405    405
api:report-pipeline                GET   401    ok     ok     ok     ok     ok     ok
api:report-pipeline                POST  401    405    405    405    405    405    405
api:report-team-performance        GET   401    ok     ok     ok     ok     ok     ok
api:report-team-performance        POST  401    405    405    405    405    405    405
api:report-velocity                GET   401    ok     ok     ok     ok     ok     ok
api:report-velocity                POST  401    405    405    405    405    405    405
api:report-win-loss                GET   401    ok     ok     ok     ok     ok     ok
api:report-win-loss                POST  401    405    405    405    405    405    405
api:schema                         GET   401    ok     ok     ok     ok     ok     ok
api:schema                         POST  401    405    405    405    405    405    405
api:team-list                      GET   401    ok     ok     ok     ok     ok     ok
api:team-list                      POST  401    405    405    405    405    405    405
api:token_revoke                   GET   login  405    405    405    405    405    405
api:token_revoke                   POST  login  ok     404    404    404    404    404
api:tokens                         GET   login  ok     ok     ok     ok     ok     ok
api:tokens                         POST  login  ok     ok     ok     ok     ok     ok
api:user-list                      GET   401    ok     ok     ok     ok     ok     ok
api:user-list                      POST  401    405    405    405    405    405    405
calendar:feed                      GET   404    404    404    404    404    404    404
calendar:feed                      POST  405    405    405    405    405    405    405
crm:company_create                 GET   login  ok     ok     ok     ok     ok     ok
crm:company_create                 POST  login  ok     ok     ok     ok     ok     ok
crm:company_delete                 GET   login  ok     404    404    ok     404    ok
crm:company_delete                 POST  login  ok     404    404    ok     404    ok
crm:company_detail                 GET   login  ok     404    404    ok     404    ok
crm:company_detail                 POST  login  405    405    405    405    405    405
crm:company_edit                   GET   login  ok     404    404    ok     404    ok
crm:company_edit                   POST  login  ok     404    404    ok     404    ok
crm:company_list                   GET   login  ok     ok     ok     ok     ok     ok
crm:company_list                   POST  login  405    405    405    405    405    405
crm:company_options                GET   login  ok     ok     ok     ok     ok     ok
crm:company_options                POST  login  405    405    405    405    405    405
crm:contact_create                 GET   login  ok     ok     ok     ok     ok     ok
crm:contact_create                 POST  login  ok     ok     ok     ok     ok     ok
crm:contact_delete                 GET   login  ok     404    404    ok     404    ok
crm:contact_delete                 POST  login  ok     404    404    ok     404    ok
crm:contact_detail                 GET   login  ok     404    404    ok     404    ok
crm:contact_detail                 POST  login  405    405    405    405    405    405
crm:contact_edit                   GET   login  ok     404    404    ok     404    ok
crm:contact_edit                   POST  login  ok     404    404    ok     404    ok
crm:contact_list                   GET   login  ok     ok     ok     ok     ok     ok
crm:contact_list                   POST  login  405    405    405    405    405    405
crm:trash                          GET   login  ok     ok     ok     ok     ok     ok
crm:trash                          POST  login  405    405    405    405    405    405
crm:trash_purge                    GET   login  405    405    405    405    405    405
crm:trash_purge                    POST  login  ok     404    404    ok     404    ok
crm:trash_restore                  GET   login  405    405    405    405    405    405
crm:trash_restore                  POST  login  ok     404    404    ok     404    ok
forecasting:quota_remove           GET   login  405    405    405    405    405    405
forecasting:quota_remove           POST  login  404    404    404    ok     404    ok
forecasting:quota_set              GET   login  405    405    405    405    405    405
forecasting:quota_set              POST  login  404    404    404    ok     ok     ok
forecasting:quotas                 GET   login  ok     ok     ok     ok     ok     ok
forecasting:quotas                 POST  login  405    405    405    405    405    405
health                             GET   ok     ok     ok     ok     ok     ok     ok
health                             POST  405    405    405    405    405    405    405
health-ping                        GET   login  405    405    405    405    405    405
health-ping                        POST  login  404    404    404    404    404    ok
health-ping-result                 GET   login  404    404    404    404    404    404
health-ping-result                 POST  login  405    405    405    405    405    405
home                               GET   login  ok     ok     ok     ok     ok     ok
home                               POST  login  405    405    405    405    405    405
leads:bulk                         GET   login  405    405    405    405    405    405
leads:bulk                         POST  login  404    404    404    ok     ok     ok
leads:change_status                GET   login  405    405    405    405    405    405
leads:change_status                POST  login  ok     404    404    ok     404    ok
leads:convert                      GET   login  ok     404    404    ok     404    ok
leads:convert                      POST  login  ok     404    404    ok     404    ok
leads:create                       GET   login  ok     ok     ok     ok     ok     ok
leads:create                       POST  login  ok     ok     ok     ok     ok     ok
leads:delete                       GET   login  ok     404    404    ok     404    ok
leads:delete                       POST  login  ok     404    404    ok     404    ok
leads:detail                       GET   login  ok     404    404    ok     404    ok
leads:detail                       POST  login  405    405    405    405    405    405
leads:disqualify                   GET   login  ok     404    404    ok     404    ok
leads:disqualify                   POST  login  ok     404    404    ok     404    ok
leads:edit                         GET   login  ok     404    404    ok     404    ok
leads:edit                         POST  login  ok     404    404    ok     404    ok
leads:import                       GET   login  404    404    404    ok     ok     ok
leads:import                       POST  login  404    404    404    ok     ok     ok
leads:import_detail                GET   login  404    404    404    ok     404    ok
leads:import_detail                POST  login  405    405    405    405    405    405
leads:import_map                   GET   login  405    405    405    405    405    405
leads:import_map                   POST  login  404    404    404    ok     404    ok
leads:import_rejected              GET   login  404    404    404    ok     404    ok
leads:import_rejected              POST  login  405    405    405    405    405    405
leads:import_rejected_xlsx         GET   login  404    404    404    ok     404    ok
leads:import_rejected_xlsx         POST  login  405    405    405    405    405    405
leads:list                         GET   login  ok     ok     ok     ok     ok     ok
leads:list                         POST  login  405    405    405    405    405    405
leads:web_form                     GET   ok     ok     ok     ok     ok     ok     ok
leads:web_form                     POST  ok     ok     ok     ok     ok     ok     ok
leads:web_held                     GET   login  404    404    404    ok     ok     ok
leads:web_held                     POST  login  405    405    405    405    405    405
leads:web_purge                    GET   login  405    405    405    405    405    405
leads:web_purge                    POST  login  404    404    404    ok     404    ok
leads:web_purge_shown              GET   login  405    405    405    405    405    405
leads:web_purge_shown              POST  login  404    404    404    ok     ok     ok
leads:web_release                  GET   login  405    405    405    405    405    405
leads:web_release                  POST  login  404    404    404    ok     404    ok
login                              GET   ok     ok     ok     ok     ok     ok     ok
login                              POST  ok     ok     ok     ok     ok     ok     ok
logout                             GET   login  405    405    405    405    405    405
logout                             POST  login  login  login  login  login  login  login
mail:compose                       GET   login  ok     404    404    ok     404    ok
mail:compose                       POST  login  ok     404    404    ok     404    ok
mail:retry                         GET   login  405    405    405    405    405    405
mail:retry                         POST  login  ok     404    404    ok     404    ok
mail:template_list                 GET   login  404    404    404    ok     ok     ok
mail:template_list                 POST  login  404    404    404    405    405    405
mail:template_create               GET   login  404    404    404    ok     ok     ok
mail:template_create               POST  login  404    404    404    ok     ok     ok
mail:template_edit                 GET   login  404    404    404    ok     ok     ok
mail:template_edit                 POST  login  404    404    404    ok     ok     ok
mail:template_delete               GET   login  404    404    404    405    405    405
mail:template_delete               POST  login  404    404    404    ok     ok     ok
merging:company                    GET   login  404    404    404    ok     404    ok
merging:company                    POST  login  404    404    404    ok     404    ok
merging:contact                    GET   login  404    404    404    ok     404    ok
merging:contact                    POST  login  404    404    404    ok     404    ok
merging:lead                       GET   login  404    404    404    ok     404    ok
merging:lead                       POST  login  404    404    404    ok     404    ok
notifications:list                 GET   login  ok     ok     ok     ok     ok     ok
notifications:list                 POST  login  405    405    405    405    405    405
notifications:open                 GET   login  405    405    405    405    405    405
notifications:open                 POST  login  ok     404    404    404    404    404
notifications:read_all             GET   login  405    405    405    405    405    405
notifications:read_all             POST  login  ok     ok     ok     ok     ok     ok
opportunities:board                GET   login  ok     ok     ok     ok     ok     ok
opportunities:board                POST  login  405    405    405    405    405    405
opportunities:column               GET   login  ok     ok     ok     ok     ok     ok
opportunities:column               POST  login  405    405    405    405    405    405
opportunities:create               GET   login  ok     ok     ok     ok     ok     ok
opportunities:create               POST  login  ok     ok     ok     ok     ok     ok
opportunities:delete               GET   login  ok     404    404    ok     404    ok
opportunities:delete               POST  login  ok     404    404    ok     404    ok
opportunities:detail               GET   login  ok     404    404    ok     404    ok
opportunities:detail               POST  login  405    405    405    405    405    405
opportunities:edit                 GET   login  ok     404    404    ok     404    ok
opportunities:edit                 POST  login  ok     404    404    ok     404    ok
opportunities:export               GET   login  ok     ok     ok     ok     ok     ok
opportunities:export               POST  login  405    405    405    405    405    405
opportunities:export_xlsx          GET   login  ok     ok     ok     ok     ok     ok
opportunities:export_xlsx          POST  login  405    405    405    405    405    405
opportunities:list                 GET   login  ok     ok     ok     ok     ok     ok
opportunities:list                 POST  login  405    405    405    405    405    405
opportunities:lost                 GET   login  ok     404    404    ok     404    ok
opportunities:lost                 POST  login  ok     404    404    ok     404    ok
opportunities:move                 GET   login  405    405    405    405    405    405
opportunities:move                 POST  login  ok     404    404    ok     404    ok
opportunities:quick_edit           GET   login  ok     404    404    ok     404    ok
opportunities:quick_edit           POST  login  ok     404    404    ok     404    ok
opportunities:reopen               GET   login  405    405    405    405    405    405
opportunities:reopen               POST  login  ok     404    404    ok     404    ok
opportunities:undo                 GET   login  405    405    405    405    405    405
opportunities:undo                 POST  login  ok     404    404    ok     404    ok
opportunities:won                  GET   login  405    405    405    405    405    405
opportunities:won                  POST  login  ok     404    404    ok     404    ok
password_change                    GET   login  ok     ok     ok     ok     ok     ok
password_change                    POST  login  ok     ok     ok     ok     ok     ok
password_change_done               GET   login  ok     ok     ok     ok     ok     ok
password_change_done               POST  login  405    405    405    405    405    405
password_reset                     GET   ok     ok     ok     ok     ok     ok     ok
password_reset                     POST  ok     ok     ok     ok     ok     ok     ok
password_reset_complete            GET   ok     ok     ok     ok     ok     ok     ok
password_reset_complete            POST  405    405    405    405    405    405    405
password_reset_confirm             GET   ok     ok     ok     ok     ok     ok     ok
password_reset_confirm             POST  ok     ok     ok     ok     ok     ok     ok
password_reset_done                GET   ok     ok     ok     ok     ok     ok     ok
password_reset_done                POST  405    405    405    405    405    405    405
profile                            GET   login  ok     ok     ok     ok     ok     ok
profile                            POST  login  ok     ok     ok     ok     ok     ok
privacy:contact                    GET   login  404    404    404    ok     404    ok
privacy:contact                    POST  login  405    405    405    405    405    405
privacy:contact_erase              GET   login  404    404    404    ok     404    ok
privacy:contact_erase              POST  login  404    404    404    ok     404    ok
privacy:contact_export             GET   login  404    404    404    ok     404    ok
privacy:contact_export             POST  login  405    405    405    405    405    405
privacy:lead                       GET   login  404    404    404    ok     404    ok
privacy:lead                       POST  login  405    405    405    405    405    405
privacy:lead_erase                 GET   login  404    404    404    ok     404    ok
privacy:lead_erase                 POST  login  404    404    404    ok     404    ok
privacy:lead_export                GET   login  404    404    404    ok     404    ok
privacy:lead_export                POST  login  405    405    405    405    405    405
reports:calibration                GET   login  ok     ok     ok     ok     ok     ok
reports:calibration                POST  login  405    405    405    405    405    405
reports:dashboard                  GET   login  ok     ok     ok     ok     ok     ok
reports:dashboard                  POST  login  405    405    405    405    405    405
reports:forecast                   GET   login  ok     ok     ok     ok     ok     ok
reports:forecast                   POST  login  405    405    405    405    405    405
reports:lead_funnel                GET   login  ok     ok     ok     ok     ok     ok
reports:lead_funnel                POST  login  405    405    405    405    405    405
reports:pipeline                   GET   login  ok     ok     ok     ok     ok     ok
reports:pipeline                   POST  login  405    405    405    405    405    405
reports:slipped                    GET   login  ok     ok     ok     ok     ok     ok
reports:slipped                    POST  login  405    405    405    405    405    405
reports:team_performance           GET   login  ok     ok     ok     ok     ok     ok
reports:team_performance           POST  login  405    405    405    405    405    405
reports:velocity                   GET   login  ok     ok     ok     ok     ok     ok
reports:velocity                   POST  login  405    405    405    405    405    405
reports:win_loss                   GET   login  ok     ok     ok     ok     ok     ok
reports:win_loss                   POST  login  405    405    405    405    405    405
search:search                      GET   login  ok     ok     ok     ok     ok     ok
search:search                      POST  login  405    405    405    405    405    405
set_language                       GET   login  ok     ok     ok     ok     ok     ok
set_language                       POST  login  ok     ok     ok     ok     ok     ok
setup:index                        GET   login  404    404    404    ok     ok     ok
setup:index                        POST  login  404    404    404    405    405    405
setup:item_active                  GET   login  404    404    404    405    405    405
setup:item_active                  POST  login  404    404    404    ok     ok     ok
setup:item_create                  GET   login  404    404    404    ok     ok     ok
setup:item_create                  POST  login  404    404    404    ok     ok     ok
setup:item_edit                    GET   login  404    404    404    ok     ok     ok
setup:item_edit                    POST  login  404    404    404    ok     ok     ok
setup:item_list                    GET   login  404    404    404    ok     ok     ok
setup:item_list                    POST  login  404    404    404    405    405    405
setup:member_add                   GET   login  404    404    404    405    405    405
setup:member_add                   POST  login  404    404    404    ok     404    ok
setup:member_remove                GET   login  404    404    404    405    405    405
setup:member_remove                POST  login  404    404    404    ok     404    ok
setup:pipeline_create              GET   login  404    404    404    ok     ok     ok
setup:pipeline_create              POST  login  404    404    404    ok     ok     ok
setup:pipeline_detail              GET   login  404    404    404    ok     ok     ok
setup:pipeline_detail              POST  login  404    404    404    405    405    405
setup:pipeline_list                GET   login  404    404    404    ok     ok     ok
setup:pipeline_list                POST  login  404    404    404    405    405    405
setup:pipeline_rename              GET   login  404    404    404    ok     ok     ok
setup:pipeline_rename              POST  login  404    404    404    ok     ok     ok
setup:stage_create                 GET   login  404    404    404    ok     ok     ok
setup:stage_create                 POST  login  404    404    404    ok     ok     ok
setup:stage_delete                 GET   login  404    404    404    ok     ok     ok
setup:stage_delete                 POST  login  404    404    404    ok     ok     ok
setup:stage_edit                   GET   login  404    404    404    ok     ok     ok
setup:stage_edit                   POST  login  404    404    404    ok     ok     ok
setup:stage_move                   GET   login  404    404    404    405    405    405
setup:stage_move                   POST  login  404    404    404    400    400    400
setup:stage_move_deals             GET   login  404    404    404    405    405    405
setup:stage_move_deals             POST  login  404    404    404    ok     ok     ok
setup:stage_reorder                GET   login  404    404    404    405    405    405
setup:stage_reorder                POST  login  404    404    404    ok     ok     ok
setup:team_detail                  GET   login  404    404    404    ok     404    ok
setup:team_detail                  POST  login  404    404    404    405    405    405
setup:team_list                    GET   login  404    404    404    ok     ok     ok
setup:team_list                    POST  login  404    404    404    405    405    405
"""


def expected() -> dict[tuple[str, str], list[str]]:
    table = {}
    for line in MATRIX.strip().splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        name, method, *answers = line.split()
        assert len(answers) == len(PEOPLE), line
        table[name, method] = answers
    return table


def answer(response) -> str:
    if 300 <= response.status_code < 400:
        return "login" if response["Location"].startswith("/accounts/login/") else "ok"
    if 200 <= response.status_code < 300:
        return "ok"
    return str(response.status_code)


ROUTES = [(name, route) for name, route in routes() if not name.startswith("admin:")]
ADMIN_ROUTES = [(name, route) for name, route in routes() if name.startswith("admin:")]


@pytest.fixture
def people(rep, teammate, other_rep, manager, south_manager, admin_user, client_for):
    clients = [Client()] + [
        client_for(user) for user in (rep, teammate, other_rep, manager, south_manager, admin_user)
    ]
    return dict(zip(PEOPLE, clients, strict=True))


@pytest.fixture
def sample(rep, manager):
    return records(owner=rep, manager=manager, marker="North")


def answers_for(people, path: str, method: str) -> list[str]:
    # A program posts JSON to the API; a browser posts a form.
    body = {"data": {}, "content_type": "application/json"} if path.startswith("/api/v1/") else {}
    found = []
    for client in people.values():
        # Each person finds the app as it was: a delete by one is undone for the next, and a
        # rate limit reached by one does not answer for the next.
        cache.clear()
        with transaction.atomic():
            if method == "GET":
                found.append(answer(client.get(path)))
            else:
                found.append(answer(client.post(path, **body)))
            transaction.set_rollback(True)
    return found


def path_of(name: str, route: str, sample: dict) -> str:
    """The URL with Alice's record in it: in the path, or in the query string for the pages
    that take it there."""
    walked = list(fill(name, route, sample))
    return next((url for url in walked if url.record is not None), walked[0]).path


def test_every_url_has_a_row_and_every_row_a_url():
    names = {name for name, _ in ROUTES}
    rows = {name for name, _ in expected()}

    assert sorted(names - rows) == [], "URLs without a row in MATRIX"
    assert sorted(rows - names) == [], "rows of MATRIX for URLs that are gone"


@pytest.mark.parametrize("name, route", ROUTES, ids=[name for name, _ in ROUTES])
def test_each_person_gets_the_answer_the_table_gives(people, sample, name, route):
    path = path_of(name, route, sample)
    table = expected()

    found = {method: answers_for(people, path, method) for method in ("GET", "POST")}

    if written := os.environ.get("PERMISSION_MATRIX"):
        with open(written, "a") as rows:
            for method, answers in found.items():
                rows.write(f"{name:<34} {method:<5} " + " ".join(f"{a:<6}" for a in answers) + "\n")
    assert found == {method: table.get((name, method)) for method in ("GET", "POST")}


@pytest.mark.parametrize("name, route", ADMIN_ROUTES, ids=[name for name, _ in ADMIN_ROUTES])
def test_the_admin_is_for_staff_only(people, sample, name, route):
    """Every admin URL sends whoever is not staff to a login page; only the admin's own login
    form (and its logout, which only takes a POST) answers them."""
    path = path_of(name, route, sample)

    for who in ("anon", "owner"):
        response = people[who].get(path)
        if name == "admin:login":
            assert response.status_code == 200, (who, path)
        elif name == "admin:logout":
            assert response.status_code in (302, 405), (who, path, response.status_code)
        else:
            assert response.status_code == 302, (who, path, response.status_code)
            assert response["Location"].startswith(("/admin/login/", "/accounts/login/")), path
