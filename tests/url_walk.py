"""Walking the whole URLconf with real records in it, for the tests that must cover every URL.

``records(...)`` builds one of each record for a team; ``urls(records)`` yields, for every URL
made of route patterns, a path with the ids of those records filled in (and, for the pages that
take a record in the query string, one path per kind of record). A URL whose parameters this
module cannot fill fails loudly, so a new URL is never skipped silently.
"""

import re
import uuid
from dataclasses import dataclass

from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RoutePattern
from django.utils import timezone

from api.services import create_token
from crm.models import Company
from crm.trash import trash_record
from forecasting.models import Period, Quota
from leads.models import LeadImport, WebSubmission
from notifications.models import Notification
from notifications.services import notify
from tests.factories import (
    make_activity,
    make_company,
    make_contact,
    make_email_template,
    make_lead,
    make_lost_reason,
    make_opportunity,
    make_outbound_email,
)

# Which record a URL's ``pk`` is, by URL name.
RECORD_OF = {
    "notifications:open": "notification",
    "merging:company": "company",
    "merging:contact": "contact",
    "merging:lead": "lead",
    "privacy:lead": "lead",
    "privacy:lead_export": "lead",
    "privacy:lead_erase": "lead",
    "privacy:contact": "contact",
    "privacy:contact_export": "contact",
    "privacy:contact_erase": "contact",
    "crm:company_detail": "company",
    "crm:company_edit": "company",
    "crm:company_delete": "company",
    "crm:contact_detail": "contact",
    "crm:contact_edit": "contact",
    "crm:contact_delete": "contact",
    "leads:detail": "lead",
    "leads:edit": "lead",
    "leads:delete": "lead",
    "leads:change_status": "lead",
    "leads:disqualify": "lead",
    "leads:convert": "lead",
    "leads:import_detail": "lead_import",
    "leads:import_map": "lead_import",
    "leads:import_rejected": "lead_import",
    "leads:import_rejected_xlsx": "lead_import",
    "leads:web_release": "web_submission",
    "leads:web_purge": "web_submission",
    "opportunities:detail": "opportunity",
    "opportunities:edit": "opportunity",
    "opportunities:delete": "opportunity",
    "opportunities:quick_edit": "opportunity",
    "opportunities:move": "opportunity",
    "opportunities:won": "opportunity",
    "opportunities:lost": "opportunity",
    "opportunities:reopen": "opportunity",
    "opportunities:undo": "opportunity",
    "activities:complete": "activity",
    "mail:retry": "email",
    "activities:delete": "activity",
    "crm:trash_restore": "trash_batch",
    "crm:trash_purge": "trash_batch",
    "activities:calendar": "activity",
    "api:lead-detail": "lead",
    "api:lead-qualify": "lead",
    "api:lead-disqualify": "lead",
    "api:lead-convert": "lead",
    "api:company-detail": "company",
    "api:contact-detail": "contact",
    "api:opportunity-detail": "opportunity",
    "api:opportunity-move": "opportunity",
    "api:opportunity-win": "opportunity",
    "api:opportunity-lose": "opportunity",
    "api:opportunity-reopen": "opportunity",
    "api:activity-detail": "activity",
    "api:activity-complete": "activity",
    "api:token_revoke": "api_token",
    "forecasting:quota_remove": "quota",
    "setup:team_detail": "team",
    "setup:member_add": "team",
    "setup:member_remove": "team",
}

# Pages that name a record in the query string: which parameters, and which record each takes.
QUERY_RECORDS = {
    "activities:log": ["opportunity", "lead", "contact", "company"],
    "activities:schedule": ["opportunity", "lead", "contact", "company"],
    "activities:note": ["opportunity", "lead", "contact", "company"],
    "activities:timeline": ["opportunity", "lead", "contact", "company"],
    "activities:card": ["opportunity"],
    "opportunities:create": ["company"],
    "opportunities:edit": ["company"],
    "crm:contact_create": ["company"],
    "mail:compose": ["opportunity", "lead", "contact", "company"],
}

# URL parameters that are not a team's record.
SHARED_PARAMETERS = {"stage_pk", "result_id", "content_type_id", "object_id", "uidb64", "token"}


@dataclass
class Walked:
    name: str
    path: str
    record: str | None = None  # the key of the record in the path, if any


def records(*, owner, manager, marker: str) -> dict:
    """One record of each kind owned by ``owner`` (the import by ``manager``), named with
    ``marker`` so that a page showing any of them can be told."""
    company = make_company(name=f"{marker} company", owner=owner)
    contact = make_contact(last_name=f"{marker} contact", company=company, owner=owner)
    lead = make_lead(last_name=f"{marker} lead", email=f"{marker.lower()}@example.com", owner=owner)
    opportunity = make_opportunity(
        name=f"{marker} deal", company=company, contact=contact, owner=owner
    )
    activity = make_activity(opportunity=opportunity, owner=owner, subject=f"{marker} call")
    email = make_outbound_email(
        activity=make_activity(
            opportunity=opportunity,
            owner=owner,
            kind="email",
            subject=f"{marker} email",
            done_at=timezone.now(),
        ),
        sent_by=owner,
        status="failed",
        error="Refused",
    )
    lead_import = LeadImport.objects.create(
        created_by=manager,
        owner=owner,
        team=owner.team,
        file_name=f"{marker}.csv",
        content="",
        headers=["Name"],
        status=LeadImport.Status.DONE,
        rejected_csv=f"Name,Reason\n{marker} row,Bad\n",
        finished_at=timezone.now(),
    )
    web_submission = WebSubmission.objects.create(
        name=f"{marker} sender",
        email=f"{marker.lower()}-web@example.com",
        reason=WebSubmission.Reason.TOO_FAST,
        team=owner.team,
    )
    trashed = make_opportunity(name=f"{marker} trashed deal", owner=owner)
    trash_record(trashed, by=owner)
    return {
        "api_token": create_token(user=owner, name=f"{marker} token", scope="write").token,
        "company": company,
        "contact": contact,
        "lead": lead,
        "opportunity": opportunity,
        "activity": activity,
        "email": email,
        "lead_import": lead_import,
        "web_submission": web_submission,
        "notification": notify(owner, Notification.Kind.LEAD_ASSIGNED, lead),
        "quota": Quota.objects.create(
            owner=owner, period=Period.MONTH, start=timezone.localdate().replace(day=1), amount=1000
        ),
        "stage": opportunity.stage,
        "team": owner.team,
        "trash_batch": trashed.trash_batch,
        # Shared by every team, as the pipeline and its stages are: named without the marker.
        "lost_reason": make_lost_reason(),
        "email_template": make_email_template(),
    }


def _routes(patterns, prefix="", namespace=""):
    for pattern in patterns:
        if not isinstance(pattern.pattern, RoutePattern):
            continue  # regular expressions (the admin's app index) have no sample path
        route = str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _routes(pattern.url_patterns, prefix + route, inner)
        elif isinstance(pattern, URLPattern):
            yield f"{namespace}{pattern.name or prefix + route}", prefix + route


def _admin_object(name: str):
    """For ``admin:<app>_<model>_<action>``, the first row of that model (or None)."""
    for model in admin.site._registry:
        label = f"admin:{model._meta.app_label}_{model._meta.model_name}_"
        if name.startswith(label):
            return model._default_manager.order_by("pk").first()
    return None


def routes() -> list[tuple[str, str]]:
    """(URL name, route with its <parameters>) for every URL made of route patterns."""
    return list(_routes(get_resolver().url_patterns))


def fill(name: str, route: str, sample: dict):
    """The paths of one URL with ``sample``'s records in it, as ``Walked``."""
    parameters = re.findall(r"<(?:(\w+):)?(\w+)>", route)
    path, record = "/" + route, None
    for _converter, parameter in parameters:
        if parameter == "pk":
            if name not in RECORD_OF:
                raise AssertionError(f"{name}: add the record its pk names to RECORD_OF")
            record = RECORD_OF[name]
            value = sample[record].pk
        elif parameter == "stage_pk":
            value = sample["stage"].pk
        elif parameter == "pipeline_pk":
            value = sample["stage"].pipeline_id
        elif parameter == "kind":
            value = "lost-reasons"
        elif parameter == "item_pk":
            value = sample["lost_reason"].pk
        elif parameter == "template_pk":
            value = sample["email_template"].pk
        elif parameter == "user_pk":
            value = sample["opportunity"].owner_id
        elif parameter == "result_id":
            value = uuid.uuid4()
        elif parameter == "content_type_id":
            value = ContentType.objects.get_for_model(Company).pk
        elif parameter in ("object_id", "id"):
            row = _admin_object(name) or sample["company"]
            value = row.pk
        elif parameter in SHARED_PARAMETERS:
            value = "sample"
        else:
            raise AssertionError(f"{name}: no sample value for <{parameter}>")
        path = re.sub(rf"<(?:\w+:)?{parameter}>", str(value), path)
    yield Walked(name, path, record)
    for kind in QUERY_RECORDS.get(name, []):
        yield Walked(name, f"{path}?{kind}={sample[kind].pk}", kind)
    if name.startswith("reports:"):
        yield Walked(name, f"{path}?format=csv")  # each report's tables as CSV


def urls(sample: dict):
    """Every URL of the app as a ``Walked``, with ``sample``'s records in it."""
    for name, route in routes():
        yield from fill(name, route, sample)
