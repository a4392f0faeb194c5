"""On PostgreSQL the contact search reads its trigram indexes and the company index in one
bitmap, and the company and contact searches sort their matches rather than walking the name
index (see leads' own test)."""

import pytest
from django.db import connection
from django.test import RequestFactory

from crm.filters import CompanyFilter, ContactFilter
from crm.models import Company, Contact
from tests.plans import plan_of

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL's own index types"
)


def searched(user, text: str, filter_class=ContactFilter, model=Contact):
    request = RequestFactory().get("/")
    request.user = user
    return filter_class({"q": text}, queryset=model.objects.all(), request=request).qs


@pytest.mark.parametrize(
    "index",
    [
        "contact_first_name_fold_trgm",
        "contact_last_name_fold_trgm",
        "contact_email_trgm",
        "contact_job_title_fold_trgm",
        "crm_contact_company_id",
        "company_name_fold_trgm",
    ],
)
def test_contact_search_reads_its_indexes(admin_user, index):
    assert index in plan_of(searched(admin_user, "iglesias").order_by())


def test_contact_search_sorts_its_matches_instead_of_walking_the_name_index(admin_user):
    plan = plan_of(searched(admin_user, "iglesias")[:25])

    assert "contact_name_idx" not in plan


def test_company_search_sorts_its_matches_instead_of_walking_the_name_index(admin_user):
    plan = plan_of(searched(admin_user, "cobalt", CompanyFilter, Company)[:25])

    assert "company_name_idx" not in plan
    assert "company_name_fold_trgm" in plan
