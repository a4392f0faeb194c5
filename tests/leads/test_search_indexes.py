"""On PostgreSQL the lead search and the conversion's company match can use their indexes.

Each index is built on an expression that must be the very one Django compiles the lookup to,
or the planner ignores it: these tests ask the planner (with sequential scans priced out, as
they would be over a million rows) which index it uses.
"""

import pytest
from django.db import connection

from crm.models import Company, User
from leads.filters import LeadFilter
from leads.models import Lead
from tests.plans import plan_of

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL's own index types"
)


def searched(user: User, text: str):
    """The matches, unsorted: how they are found, not how they are ordered."""
    found = LeadFilter({"q": text, "status": "all"}, queryset=Lead.objects.all(), user=user).qs
    return found.order_by()


@pytest.mark.parametrize(
    ("text", "index"),
    [
        ("garcia", "lead_last_name_fold_trgm"),
        ("garcia", "lead_first_name_fold_trgm"),
        ("garcia", "lead_company_name_fold_trgm"),
        ("garcia", "lead_email_trgm"),
        ("700123", "lead_phone_trgm"),
        ("ana.garcia@lead.example", "lead_email_idx"),
    ],
)
def test_lead_search_reads_its_indexes(admin_user, text, index):
    assert index in plan_of(searched(admin_user, text))


def test_company_match_by_name_reads_its_index(db):
    plan = plan_of(Company.objects.matching(name="Acme Corp"))

    assert "company_name_key_idx" in plan


@pytest.mark.parametrize(
    "index",
    [
        "company_domain_idx",
        "company_website_domain_idx",
        "company_name_key_idx",
        "company_phone_idx",
        "contact_email_trgm",
    ],
)
def test_company_match_by_domain_name_and_phone_reads_every_index(db, index):
    """A company is found by its email domain, its website, its contacts' addresses, its name
    or its phone, each from its own index rather than by reading every company."""
    matching = Company.objects.matching(
        name="Acme Corp", domains=["ana@acme.example", "https://acme.example"], phone="911234567"
    )

    assert index in plan_of(matching)
