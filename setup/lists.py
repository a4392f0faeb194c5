"""The reference lists kept on the settings pages, by the word naming each in its address.

Each is a ``crm.models.reference.ReferenceItem`` model: a name and whether it is offered.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from crm.models.reference import ReferenceItem
from leads.models import DisqualifyReason, LeadSource
from opportunities.models import LostReason


@dataclass(frozen=True)
class ReferenceList:
    slug: str
    model: type[ReferenceItem]
    add_label: Promise
    about: Promise

    @property
    def title(self) -> str:
        return capfirst(self.model._meta.verbose_name_plural)


LISTS = {
    reference.slug: reference
    for reference in [
        ReferenceList(
            "lead-sources",
            LeadSource,
            _("Add a lead source"),
            _("Where leads come from, chosen on each lead's form."),
        ),
        ReferenceList(
            "lost-reasons",
            LostReason,
            _("Add a lost reason"),
            _("Why deals are lost, asked for when a deal is marked lost."),
        ),
        ReferenceList(
            "disqualify-reasons",
            DisqualifyReason,
            _("Add a disqualification reason"),
            _("Why leads are disqualified, asked for when a lead is."),
        ),
    ]
}
