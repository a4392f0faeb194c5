"""Alice writes an email from her Acme deal's page (or a lead's, a contact's, a company's),
from a template or not, and sees it on the deal's timeline with how its sending went."""

import re

import pytest
from django.utils import timezone

from mail.models import OutboundEmail
from tests.factories import make_activity, make_email_template, make_lead, make_outbound_email

pytestmark = pytest.mark.django_db

URL = "/mail/new/"


def post_email(client, record_query: str, **fields):
    data = {"to": [f"contact:{fields.pop('to_id')}"], "subject": "Hi", "body": "Hello"}
    data.update(fields)
    return client.post(f"{URL}?{record_query}", data)


def test_the_form_offers_the_deals_people_and_names_those_it_does_not(
    rep_client, acme_deal, jane, raj
):
    html = rep_client.get(f"{URL}?opportunity={acme_deal.pk}").content.decode()

    assert "Jane Doe &lt;jane@acme.example&gt;" in html
    assert "Raj Patel &lt;raj@acme.example&gt;" in html
    assert "olga@acme.example" not in html
    assert "Olga Opt (asked not to be emailed)" in html
    # The deal's primary contact is chosen to begin with.
    assert re.search(rf'value="contact:{jane.pk}"[^>]* checked>', html)
    assert not re.search(rf'value="contact:{raj.pk}"[^>]* checked>', html)


def test_a_rep_sends_an_email_and_sees_it_sent_on_the_deals_timeline(
    rep_client, acme_deal, jane, raj, smtp_server, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = post_email(
            rep_client,
            f"opportunity={acme_deal.pk}",
            to_id=jane.pk,
            cc=[f"contact:{raj.pk}"],
            subject="{{ opportunity.name }}",
            body="Hello {{ contact.first_name }}",
        )

    assert response.status_code == 302
    assert response["Location"] == acme_deal.get_absolute_url()
    email = OutboundEmail.objects.get()
    assert (email.subject, email.body_text, email.status) == ("Acme renewal", "Hello Jane", "sent")
    assert (email.to_addresses, email.cc_addresses) == (["jane@acme.example"], ["raj@acme.example"])
    page = rep_client.get(response["Location"]).content.decode()
    assert "Email queued: it goes out in a moment." in page
    assert f'data-email="{email.pk}" data-email-status="sent"' in page
    assert "Email:</span> Acme renewal" in page


def test_a_failed_email_says_why_on_the_timeline_and_in_my_day(
    rep_client, acme_deal, jane, no_smtp_server, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        post_email(rep_client, f"opportunity={acme_deal.pk}", to_id=jane.pk, subject="Renewal")

    email = OutboundEmail.objects.get()
    page = rep_client.get(acme_deal.get_absolute_url()).content.decode()
    assert f'data-email="{email.pk}" data-email-status="failed"' in page
    assert "ConnectionRefusedError" in page
    day = rep_client.get("/").content.decode()
    assert f'data-failed-email="{email.pk}"' in day
    assert "Emails not sent" in day


def test_an_opted_out_person_posted_anyway_is_refused_beside_the_field(rep_client, acme_deal, olga):
    response = post_email(rep_client, f"opportunity={acme_deal.pk}", to_id=olga.pk)

    assert response.status_code == 200
    assert f"Select a valid choice. contact:{olga.pk} is not one of the available choices." in (
        response.content.decode()
    )
    assert OutboundEmail.objects.count() == 0


def test_a_bad_placeholder_is_shown_beside_the_field(rep_client, acme_deal, jane):
    response = post_email(
        rep_client, f"opportunity={acme_deal.pk}", to_id=jane.pk, body="Hi {{ contact.secret }}"
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "Unknown placeholder {{ contact.secret }}." in html
    assert OutboundEmail.objects.count() == 0


def test_a_template_fills_the_form(rep_client, acme_deal):
    template = make_email_template(name="Follow-up", subject="About {{ opportunity.name }}")

    html = rep_client.get(f"{URL}?opportunity={acme_deal.pk}&template={template.pk}").content
    html = html.decode()

    assert 'value="About {{ opportunity.name }}"' in html
    assert "Hello {{ contact.first_name }}," in html
    assert f'name="template" value="{template.pk}"' in html


def test_a_template_asked_for_over_htmx_sends_back_the_form_alone(
    rep_client, acme_deal, htmx_headers
):
    template = make_email_template()

    response = rep_client.get(
        f"{URL}?opportunity={acme_deal.pk}&template={template.pk}", headers=htmx_headers
    )

    html = response.content.decode()
    assert html.lstrip().startswith('<form method="post"')
    assert "<html" not in html
    assert "HX-Request" in response["Vary"]


def test_a_lead_is_written_to_from_its_page(rep, rep_client, smtp_server):
    lead = make_lead(name="Lee Prospect", email="lee@prospect.example", owner=rep)

    response = rep_client.post(
        f"{URL}?lead={lead.pk}", {"to": [f"lead:{lead.pk}"], "subject": "Hi", "body": "Hello"}
    )

    assert response["Location"] == lead.get_absolute_url()
    assert OutboundEmail.objects.get().to == [
        {"kind": "lead", "id": lead.pk, "name": "Lee Prospect", "email": "lee@prospect.example"}
    ]


def test_a_company_offers_its_contacts(rep_client, acme, jane, raj):
    html = rep_client.get(f"{URL}?company={acme.pk}").content.decode()

    assert f'value="contact:{jane.pk}"' in html
    assert f'value="contact:{raj.pk}"' in html


def test_another_teams_deal_is_not_found(rep_client, other_deal):
    assert rep_client.get(f"{URL}?opportunity={other_deal.pk}").status_code == 404
    assert rep_client.post(f"{URL}?opportunity={other_deal.pk}", {}).status_code == 404


def test_no_record_is_not_found(rep_client):
    assert rep_client.get(URL).status_code == 404


def test_compose_refuses_other_methods(rep_client, acme_deal):
    assert rep_client.delete(f"{URL}?opportunity={acme_deal.pk}").status_code == 405


def test_compose_asks_an_anonymous_visitor_to_log_in(client, acme_deal):
    response = client.get(f"{URL}?opportunity={acme_deal.pk}")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_a_failed_email_is_sent_again_from_the_timeline(
    rep_client, acme_deal, jane, smtp_server, django_capture_on_commit_callbacks
):
    email = make_outbound_email(
        activity=make_activity(
            opportunity=acme_deal, owner=acme_deal.owner, kind="email", done_at=timezone.now()
        ),
        to=[{"kind": "contact", "id": jane.pk, "name": "Jane Doe", "email": jane.email}],
        status="failed",
        error="SMTPServerDisconnected: Connection unexpectedly closed",
    )
    page = rep_client.get(acme_deal.get_absolute_url()).content.decode()
    assert f'action="/mail/{email.pk}/retry/"' in page

    with django_capture_on_commit_callbacks(execute=True):
        response = rep_client.post(f"/mail/{email.pk}/retry/")

    assert response["Location"] == acme_deal.get_absolute_url()
    email.refresh_from_db()
    assert (email.status, email.error) == ("sent", "")
    assert len(smtp_server.envelopes) == 1


def test_a_sent_email_is_not_sent_again(rep_client, acme_deal, smtp_server):
    email = make_outbound_email(
        activity=make_activity(opportunity=acme_deal, owner=acme_deal.owner, kind="email"),
        status="sent",
    )

    response = rep_client.post(f"/mail/{email.pk}/retry/", follow=True)

    assert "This email is not failed: it was not queued again." in response.content.decode()
    email.refresh_from_db()
    assert email.status == "sent"
    assert smtp_server.envelopes == []


def test_another_teams_email_is_not_found(other_client, acme_deal):
    email = make_outbound_email(
        activity=make_activity(opportunity=acme_deal, owner=acme_deal.owner, kind="email"),
        status="failed",
    )

    assert other_client.post(f"/mail/{email.pk}/retry/").status_code == 404
    assert other_client.get(f"/mail/{email.pk}/retry/").status_code == 405
    email.refresh_from_db()
    assert email.status == "failed"
