"""The admin's change forms refuse to overwrite an edit made since they were opened, as the app's
own forms do (``crm.versions``), and raise the record's version when they save."""

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from crm.versions import VersionedForm, save_if_current, stale_message


class VersionedAdminForm(VersionedForm, forms.ModelForm):
    """An owned record's change form in the admin: refused, with the changes made meanwhile as
    form errors, if the record was saved since the form was loaded."""

    def clean(self):
        cleaned_data = super().clean()
        if self.instance.pk is None:
            return cleaned_data
        rows = type(self.instance)._base_manager
        if transaction.get_connection(rows.db).in_atomic_block:
            # Locked until the admin's transaction ends (it runs each change form in one),
            # so that the version checked here is still the one ``save_model`` replaces.
            rows = rows.select_for_update()
        current = rows.get(pk=self.instance.pk)
        if current.version == self.loaded_version:
            return cleaned_data
        meanwhile = self.meanwhile(current)
        # The page shows the form again with the other changes where this user changed
        # nothing, and the current version: saving it once more applies it.
        self.data = meanwhile.data
        raise ValidationError(
            [
                stale_message(),
                *(change.describe() for change in meanwhile.changes),
                _(
                    "The form keeps what you entered and shows the other changes where you "
                    "changed nothing. Check it and save again."
                ),
            ],
            code="stale",
        )


class VersionedAdmin:
    """For the admin of an owned record (before ``admin.ModelAdmin`` in the bases): its change
    form carries the version, and saving writes what was changed and raises the version."""

    form = VersionedAdminForm
    change_form_template = "admin/versioned_change_form.html"

    def save_model(self, request, obj, form, change):
        if not change or form is None:
            # A new record, or a save made without a change form (code calling the admin):
            # nothing was loaded that could be stale.
            super().save_model(request, obj, form, change)
            return
        save_if_current(obj, version=form.loaded_version, fields=list(form.edited()))
