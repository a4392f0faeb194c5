from django.urls import reverse

from tests.factories import make_opportunity


def test_admin_lists_every_deal_to_a_superuser(admin_client, deal, other_deal):
    html = admin_client.get(reverse("admin:opportunities_opportunity_changelist")).content.decode()

    assert "Acme renewal" in html
    assert "Southern secret" in html


def test_admin_shows_staff_managers_only_their_teams_deals(client, manager, deal, other_deal):
    from django.contrib.auth.models import Permission

    manager.is_staff = True
    manager.save()
    manager.user_permissions.add(Permission.objects.get(codename="view_opportunity"))
    client.force_login(manager)

    html = client.get(reverse("admin:opportunities_opportunity_changelist")).content.decode()

    assert "Acme renewal" in html
    assert "Southern secret" not in html


def test_admin_pipeline_page_edits_its_stages_inline(admin_client, pipeline):
    html = admin_client.get(
        reverse("admin:opportunities_pipeline_change", args=[pipeline.pk])
    ).content.decode()

    assert html.index("Qualification") < html.index("Proposal") < html.index("Negotiation")


def test_admin_history_is_read_only(admin_client, rep, stages):
    from opportunities.services import move_opportunity

    deal = make_opportunity(owner=rep, stage=stages[0])
    move_opportunity(deal, stage=stages[1], by=rep)
    change = deal.changes.get(field="stage")

    changelist = admin_client.get(reverse("admin:opportunities_opportunitychange_changelist"))
    add = admin_client.get(reverse("admin:opportunities_opportunitychange_add"))
    delete = admin_client.post(
        reverse("admin:opportunities_opportunitychange_delete", args=[change.pk]), {"post": "yes"}
    )

    assert "Qualification" in changelist.content.decode()
    assert (add.status_code, delete.status_code) == (403, 403)
    assert deal.changes.count() == 2


def test_admin_pages_render_for_every_model(admin_client, deal):
    pages = [
        reverse("admin:opportunities_opportunity_change", args=[deal.pk]),
        reverse("admin:opportunities_opportunity_add"),
        reverse("admin:opportunities_stage_changelist"),
        reverse("admin:opportunities_lostreason_changelist"),
        reverse("admin:opportunities_pipeline_changelist"),
    ]

    responses = [admin_client.get(url) for url in pages]

    assert [response.status_code for response in responses] == [200] * len(pages)
    assert "Acme renewal" in responses[0].content.decode()


def test_admin_leaves_closing_a_deal_to_the_app(admin_client, deal):
    response = admin_client.get(reverse("admin:opportunities_opportunity_change", args=[deal.pk]))

    editable = response.context["adminform"].form.fields
    assert {"status", "closed_date", "lost_reason", "competitor"}.isdisjoint(editable)
    assert {"name", "stage", "amount", "owner"} <= set(editable)


def test_an_admin_edit_makes_an_open_deal_form_stale_and_a_stale_admin_save_is_refused(
    admin_client, rep_client, deal
):
    from opportunities.models import Opportunity
    from tests.posted import form_data

    admin_url = reverse("admin:opportunities_opportunity_change", args=[deal.pk])
    edit_url = reverse("opportunities:edit", args=[deal.pk])
    reps_form = form_data(rep_client.get(edit_url))
    admins_form = form_data(admin_client.get(admin_url))
    admin_client.post(admin_url, admins_form | {"notes": "Checked by the admin"})

    refused_deal = rep_client.post(edit_url, reps_form | {"name": "Acme renewal, 2 years"})
    refused_admin = admin_client.post(admin_url, admins_form | {"amount": "9999"})

    assert "Someone else saved this deal while you were editing it" in refused_deal.text
    assert "Notes, now saved: “Checked by the admin”" in refused_admin.text
    stored = Opportunity.objects.get(pk=deal.pk)
    assert (stored.name, stored.notes, stored.amount, stored.version) == (
        "Acme renewal",
        "Checked by the admin",
        deal.amount,
        2,
    )
