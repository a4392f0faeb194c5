from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from crm.phones import PhoneField, display_phone


class PhoneAdmin:
    """A record's ``phone`` in the admin: checked and stored as the app's forms do
    (``crm.phones``), and listed as the app shows it (``shown_phone`` in ``list_display``)."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "phone":
            kwargs["form_class"] = PhoneField
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    @admin.display(description=_("phone"), ordering="phone")
    def shown_phone(self, record) -> str:
        return display_phone(record.phone)
