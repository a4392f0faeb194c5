"""Who an email from a record's page may go to: the people of that record. A lead is its own
person; a contact, the contact and the other contacts of their company; a company, its
contacts; a deal, its primary contact and the contacts of its company. Those the user may not
see are left out; those who may not be emailed (``may_email``) are offered to no one and named
with the reason."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from crm.models import Contact
from leads.models import Lead


@dataclass(frozen=True)
class Candidate:
    person: object  # a Contact or a Lead

    @property
    def key(self) -> str:
        """The person in a form's choices: "contact:12", "lead:3"."""
        return f"{self.person._meta.model_name}:{self.person.pk}"

    @property
    def label(self) -> str:
        return f"{self.person.full_name} <{self.person.email}>"

    @property
    def may_email(self) -> bool:
        return self.person.may_email

    @property
    def refusal(self) -> str:
        """Why the person cannot be written to ("" when they can)."""
        if self.person.email_opt_out:
            return _("asked not to be emailed")
        if not self.person.email:
            return _("no email address")
        return ""

    def as_recipient(self) -> dict:
        person = self.person
        return {
            "kind": person._meta.model_name,
            "id": person.pk,
            "name": person.full_name,
            "email": person.email,
        }


def candidates(record, *, user) -> list[Candidate]:
    """The people of ``record`` that ``user`` sees, the record's own person first."""
    kind = record._meta.model_name
    if kind == "lead":
        return [Candidate(record)]
    contacts = Contact.objects.visible_to(user).order_by("last_name", "first_name", "pk")
    first, company_id = None, None
    if kind == "contact":
        first, company_id = record, record.company_id
    elif kind == "company":
        company_id = record.pk
    elif kind == "opportunity":
        first, company_id = record.contact, record.company_id
    people = list(contacts.filter(company_id=company_id)) if company_id else []
    if first is not None and contacts.filter(pk=first.pk).exists():
        people = [first, *(person for person in people if person.pk != first.pk)]
    return [Candidate(person) for person in people]


def person_for(recipient: dict):
    """The contact or lead a stored recipient names, or None if it is gone."""
    model = Lead if recipient["kind"] == "lead" else Contact
    return model.objects.filter(pk=recipient["id"]).first()
