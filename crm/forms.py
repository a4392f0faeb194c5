from django import forms
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from crm.matching import is_free_mail, normalize_domain
from crm.models import Company, Contact, User
from crm.phones import PhoneField
from crm.services import team_for_owner
from crm.versions import VersionedForm, save_if_current
from infra.events import emit
from infra.rendering import SearchSelect


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["first_name", "last_name", "email", "language"]


class OwnedRecordForm(VersionedForm, forms.ModelForm):
    """A form for a record with an owner: the owner is chosen among the people ``user`` may hand
    records to, and the team always follows the owner (it is never taken from the request).

    On create, records that look like an existing one the user can see are shown as ``matches``
    and the form is only valid once "create anyway" is ticked. On edit, saving writes what the
    user changed, and raises ``crm.versions.StaleEdit`` if someone else saved the record since
    the form was loaded.
    """

    create_anyway = forms.BooleanField(label=_("None of these: create it anyway"), required=False)

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.matches = []
        owners = User.objects.assignable_by(user)
        if self.instance.owner_id:
            # An inactive or moved owner stays selectable so that an edit does not fail on it.
            owners = owners | User.objects.filter(pk=self.instance.owner_id)
        owner = self.fields["owner"]
        owner.queryset = owners.distinct()
        owner.required = True
        owner.empty_label = None
        if not self.instance.pk:
            owner.initial = user.pk
        else:
            del self.fields["create_anyway"]

    def find_matches(self):
        raise NotImplementedError

    def clean(self):
        cleaned_data = super().clean()
        if self.instance.pk or self.errors or cleaned_data.get("create_anyway"):
            return cleaned_data
        self.matches = list(self.find_matches().select_related("owner")[:5])
        if self.matches:
            raise forms.ValidationError(
                _(
                    "This looks like a record that already exists. Open it, or tick the box to "
                    "create a new one anyway."
                ),
                code="possible_duplicate",
            )
        return cleaned_data

    def save(self, commit=True):
        adding = self.instance.pk is None
        record = super().save(commit=False)
        record.team = team_for_owner(record.owner)
        if not commit:
            return record
        with transaction.atomic():  # the record and its event, or neither
            if adding:
                if getattr(record, "email_opt_out", False):
                    record.stamp_email_opt_out()
                record.save()
                emit(f"{record._meta.model_name}.created", record)
                return record
            edited = list(self.edited())
            fields = [*edited, "team"] if edited else []
            if "email_opt_out" in edited:
                fields += record.stamp_email_opt_out()
            save_if_current(record, version=self.loaded_version, fields=fields)
            if edited:
                emit(f"{record._meta.model_name}.updated", record)
        return record


class CompanyForm(OwnedRecordForm):
    class Meta:
        model = Company
        fields = [
            "name",
            "industry",
            "website",
            "email_domain",
            "phone",
            "address",
            "owner",
            "notes",
        ]
        widgets = {
            "address": forms.Textarea(attrs={"rows": 2}),
            "notes": forms.Textarea(attrs={"rows": 4}),
        }
        field_classes = {"phone": PhoneField}

    def clean_name(self):
        return " ".join(self.cleaned_data["name"].split())

    def clean_email_domain(self):
        """People paste a website or an address here: keep only the domain."""
        domain = normalize_domain(self.cleaned_data["email_domain"])
        if domain and ("." not in domain or " " in domain):
            raise forms.ValidationError(_("Enter a domain such as acme.com."), code="invalid")
        if is_free_mail(domain):
            raise forms.ValidationError(
                _(
                    "%(domain)s is a free email service that people of any company use: leave "
                    "this empty, or give the company's own domain."
                )
                % {"domain": domain},
                code="free_mail",
            )
        return domain

    def find_matches(self):
        data = self.cleaned_data
        return Company.objects.visible_to(self.user).matching(
            name=data.get("name", ""),
            # A company found by its website's domain is as likely the same as one found by
            # its email domain: some record only one of the two.
            domains=[data.get("email_domain", ""), data.get("website", "")],
            phone=data.get("phone", ""),
        )


def company_picker() -> SearchSelect:
    """The company field of a form: a large company has too many to list them all."""
    return SearchSelect(
        options_url="crm:company_options",
        search_label=_("Search companies by name"),
        group_label=_("Companies"),
    )


class ContactForm(OwnedRecordForm):
    class Meta:
        model = Contact
        fields = [
            "first_name",
            "last_name",
            "job_title",
            "company",
            "email",
            "phone",
            "email_opt_out",
            "owner",
            "notes",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 4}), "company": company_picker()}
        field_classes = {"phone": PhoneField}

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        companies = Company.objects.visible_to(user)
        if self.instance.company_id:
            companies = companies | Company.objects.filter(pk=self.instance.company_id)
        self.fields["company"].queryset = companies

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()

    def find_matches(self):
        data = self.cleaned_data
        return Contact.objects.visible_to(self.user).matching(
            email=data.get("email", ""), phone=data.get("phone", "")
        )
