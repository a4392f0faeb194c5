"""QuickSelect writes the same select as Django's templates, only faster."""

import re

import pytest
from django import forms

from crm.filters import CompanyFilter, ContactFilter
from infra.rendering import QuickSelect
from leads.filters import LeadFilter


def _squeezed(html: str) -> str:
    return re.sub(r">\s+<", "><", str(html)).strip()


CHOICES = [
    ("", "Anyone"),
    (1, "Ana & <Bea>"),
    ("Group", [(2, "Two"), (3, 'Say "three"')]),
]


@pytest.mark.parametrize("value", [None, "", 1, "3"])
def test_quick_select_writes_what_the_template_writes(value):
    attrs = {"class": "form-select", "id": "id_owner", "required": True, "disabled": False}

    quick = QuickSelect(choices=CHOICES).render("owner", value, attrs)
    django = forms.Select(choices=CHOICES).render("owner", value, attrs)

    assert _squeezed(quick) == _squeezed(django)
    assert "&lt;Bea&gt;" in quick


def test_filter_forms_use_it(rep, rf):
    request = rf.get("/")
    request.user = rep
    lead_form = LeadFilter({}, user=rep).form
    company_form = CompanyFilter({}, request=request).form
    contact_form = ContactFilter({}, request=request).form

    for form, names in (
        (lead_form, ["status", "source", "owner", "team"]),
        (company_form, ["owner", "team", "industry"]),
        (contact_form, ["company", "owner"]),
    ):
        for name in names:
            assert isinstance(form.fields[name].widget, QuickSelect), name
