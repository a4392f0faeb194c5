"""What the top bar's search finds: a few leads, contacts, companies and deals, each kind found by
its own list's search (the same ``q`` filter), so that "see all" shows the same records.

Each kind shows its newest matches first: the record someone is looking for is most often a
recent one, and PostgreSQL finds the newest few of a million by walking the primary key, where
sorting every match by name took half a second for a common syllable ("ana")."""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from crm.filters import CompanyFilter, ContactFilter
from crm.models import Company, Contact
from leads.filters import ALL, LeadFilter
from leads.models import Lead
from opportunities.filters import BaseOpportunityFilter
from opportunities.models import Opportunity

# Shorter words match too much to be worth a query: a trigram index cannot serve them, so each
# would read every visible record.
MIN_LENGTH = 3
PER_KIND = 5
# Counting every match of a common word would read all of them; past this, "100+".
COUNT_CAP = 100


@dataclass
class Group:
    kind: str
    label: str | Promise
    rows: list
    count: int
    capped: bool
    list_url: str


def _group(kind, label, records: QuerySet, list_name: str, params: dict, counted: bool) -> Group:
    records = records.order_by("-pk")  # newest first
    if counted:
        # The matches' ids up to the cap, then the first few rows by id: finding the matches is
        # the work, and it is done once, not again for a count.
        ids = list(records.values_list("pk", flat=True)[: COUNT_CAP + 1])
        count = len(ids)
        rows = list(records.filter(pk__in=ids[:PER_KIND])) if ids else []
    else:
        # One row more than shown says whether there are more, without counting them.
        rows = list(records[: PER_KIND + 1])
        count = len(rows)
        rows = rows[:PER_KIND]
        if count > PER_KIND:
            count = COUNT_CAP + 1  # "and more": the list behind "see all" has them
    return Group(
        kind=kind,
        label=label,
        rows=rows,
        count=min(count, COUNT_CAP),
        capped=count > COUNT_CAP,
        list_url=f"{reverse(list_name)}?{urlencode(params)}",
    )


def search_records(request: HttpRequest, query: str, *, counted: bool = True) -> list[Group]:
    """The groups that have matches for ``query``, among the records ``request.user`` sees.

    Two queries per kind with matches: their ids up to ``COUNT_CAP`` (the count), and the first
    rows. Without ``counted`` (the dropdown, asked at every keystroke) one query per kind: a
    group with more rows than it shows is only marked ``capped``.
    """
    user = request.user
    leads = LeadFilter(
        {"q": query, "status": ALL}, queryset=Lead.objects.visible_to(user), user=user
    ).qs
    contacts = ContactFilter(
        {"q": query},
        queryset=Contact.objects.visible_to(user).select_related("company"),
        request=request,
    ).qs
    companies = CompanyFilter(
        {"q": query}, queryset=Company.objects.visible_to(user), request=request
    ).qs
    deals = BaseOpportunityFilter(
        {"q": query}, queryset=Opportunity.objects.visible_to(user), request=request
    ).qs.select_related("company", "stage")
    groups = [
        _group("leads", _("Leads"), leads, "leads:list", {"q": query, "status": ALL}, counted),
        _group("contacts", _("Contacts"), contacts, "crm:contact_list", {"q": query}, counted),
        _group("companies", _("Companies"), companies, "crm:company_list", {"q": query}, counted),
        _group("deals", _("Deals"), deals, "opportunities:list", {"q": query}, counted),
    ]
    return [group for group in groups if group.rows]
