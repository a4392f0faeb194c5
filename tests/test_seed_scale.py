"""seed_scale builds data that hangs together, so that benchmarks measure believable pages."""

from io import StringIO

from django.core.management import call_command
from django.db.models import Count, F, OuterRef, Subquery

from crm.models import Activity, Company, Contact, Team, User
from leads.models import Lead, LeadConversion
from opportunities.models import Opportunity, OpportunityChange


def test_seed_scale_tiny_builds_consistent_data(db):
    call_command("seed_scale", scale=0.0002, seed=7, stdout=StringIO())

    assert Team.objects.count() == 2
    assert User.objects.filter(username__startswith="scale-").count() == 2 + 2 * 2
    assert Company.objects.count() == 20
    assert Contact.objects.count() == 60
    assert Lead.objects.count() == 200
    assert Opportunity.objects.count() == 50
    assert Activity.objects.count() == 200

    # Every owned record sits in its owner's team; per-team counts add up to the whole.
    for model in (Company, Contact, Lead, Opportunity, Activity):
        assert not model.objects.exclude(owner=None).exclude(team=F("owner__team")).exists()
        per_team = model.objects.values("team").annotate(n=Count("pk"))
        assert sum(row["n"] for row in per_team) == model.objects.count()

    # Every deal's last stage change ends at its current stage.
    last_stage = Subquery(
        OpportunityChange.objects.filter(opportunity=OuterRef("pk"), to_stage__isnull=False)
        .order_by("-changed_at", "-pk")
        .values("to_stage")[:1]
    )
    deals = Opportunity.objects.annotate(last_stage=last_stage)
    assert all(deal.last_stage == deal.stage_id for deal in deals)
    # Closed deals have a status row, a close date and the matching probability.
    assert not Opportunity.objects.won().exclude(probability=100).exists()
    assert not Opportunity.objects.lost().filter(lost_reason__isnull=True).exists()
    closed = Opportunity.objects.exclude(status=Opportunity.Status.OPEN)
    assert closed.filter(closed_date__isnull=True).count() == 0
    assert OpportunityChange.objects.filter(field="status").count() == closed.count()
    # Only converted leads have a conversion.
    assert LeadConversion.objects.exclude(lead__status=Lead.Status.CONVERTED).count() == 0
