"""A lead's conversion is all or nothing, whatever the form holds: either the lead is converted,
with one contact, the company chosen and, if asked, one deal, all of the rep's team; or nothing
changed at all, and the form says why."""

from django.urls import reverse
from hypothesis import example, given
from hypothesis import strategies as st

from crm.models import Company, Contact
from leads.models import Lead, LeadConversion
from opportunities.models import Opportunity
from tests.factories import make_company, make_contact, make_lead, make_pipeline
from tests.properties.rollback import EXAMPLES, rolled_back

junk = st.one_of(st.text(max_size=30), st.integers(-(2**40), 2**40).map(str))


def counts() -> tuple[int, ...]:
    return tuple(model.objects.count() for model in (Contact, Company, Opportunity, LeadConversion))


def test_a_conversion_changes_everything_or_nothing(rep_client, rep, other_rep):
    stage = make_pipeline(name="Sales").stages.order_by("order").first()
    email = "jane@acme.example"
    lead = make_lead(owner=rep, status=Lead.Status.QUALIFIED, company_name="Acme", email=email)
    # What the screen offers to link to: the rep's matches, and another team's that it hides.
    mine = {
        "contact": make_contact(owner=rep, email=email),
        "company": make_company(owner=rep, name="Acme"),
    }
    theirs = {
        "contact": make_contact(owner=other_rep, email=email),
        "company": make_company(owner=other_rep, name="Acme"),
    }

    def choice(kind, *extra):
        ids = [str(mine[kind].pk), str(theirs[kind].pk)]
        return st.one_of(st.sampled_from(["new", *extra, *ids]), junk)

    form = st.fixed_dictionaries(
        {"contact": choice("contact"), "company": choice("company", "none")},
        optional={
            "company_name": junk,
            "create_opportunity": st.sampled_from(["on", ""]),
            "opportunity_name": junk,
            "amount": st.one_of(junk, st.decimals(allow_nan=True).map(str)),
            "stage": st.one_of(st.just(str(stage.pk)), junk),
            "expected_close_date": st.one_of(junk, st.dates().map(str)),
            "owner": st.one_of(st.sampled_from([str(rep.pk), str(other_rep.pk)]), junk),
        },
    )

    outcomes = set()
    valid = {
        "contact": "new",
        "company": str(mine["company"].pk),
        "create_opportunity": "on",
        "opportunity_name": "Acme deal",
        "amount": "1200.50",
        "stage": str(stage.pk),
        "expected_close_date": "2027-01-15",
        "owner": str(rep.pk),
    }

    @EXAMPLES
    @given(posted=form)
    @example(posted=valid)
    @example(posted=valid | {"company": str(theirs["company"].pk)})
    def convert(posted):
        with rolled_back():
            before = counts()
            response = rep_client.post(reverse("leads:convert", args=[lead.pk]), posted)
            assert response.status_code in (200, 302)
            converted = Lead.objects.get(pk=lead.pk).is_converted
            outcomes.add(converted)
            if not converted:
                assert counts() == before
                return
            assert response.status_code == 302
            conversion = LeadConversion.objects.get(lead=lead)
            contacts, companies, deals, conversions = (
                after - earlier for after, earlier in zip(counts(), before, strict=True)
            )
            assert conversions == 1
            assert contacts == (posted["contact"] == "new")
            assert companies == (posted["company"] == "new")
            assert deals == (conversion.opportunity_id is not None)
            # Nothing of another team is ever linked, and everything new is the rep's team's.
            for record in (conversion.contact, conversion.company, conversion.opportunity):
                assert record is None or record.team_id == rep.team_id

    convert()
    assert outcomes == {True, False}
