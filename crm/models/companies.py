from django.conf import settings
from django.core.validators import URLValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from crm.matching import (
    normalize_domain,
    normalize_email,
    normalize_phone,
    normalized_email_field,
    normalized_phone_field,
)
from crm.models.scoping import OwnedQuerySet

# A website is a web address or nothing: never javascript:, data: or ftp: (it is shown as a link).
website_validator = URLValidator(schemes=["http", "https"])


class OwnedRecord(models.Model):
    """Fields every owned record shares; see ``OwnedQuerySet.visible_to``."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    team = models.ForeignKey(
        "crm.Team",
        verbose_name=_("team"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # Raised by every save through the app; a save that still holds an older one is refused,
    # so that nobody overwrites an edit they have not seen (crm.versions).
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        abstract = True


class CompanyQuerySet(OwnedQuerySet):
    def with_contact_count(self):
        """``contact_count``: a correlated subquery, so that counting the companies stays a
        plain COUNT (an aggregate over a join would group every row first)."""
        contacts = (
            Contact.objects.filter(company=models.OuterRef("pk"))
            .order_by()
            .values("company")
            .annotate(count=models.Count("pk"))
            .values("count")
        )
        return self.annotate(contact_count=models.functions.Coalesce(models.Subquery(contacts), 0))

    def named_like(self, text: str):
        """Companies whose name holds every word of ``text`` (the first five), in any case."""
        condition = models.Q()
        for word in text.split()[:5]:
            condition &= models.Q(name__icontains=word)
        return self.filter(condition)

    def matching(self, *, name: str = "", domain: str = "", phone: str = ""):
        """Companies that look like the same business: same domain, phone or name."""
        query = models.Q()
        if domain := normalize_domain(domain):
            query |= models.Q(domain_normalized=domain)
        if phone := normalize_phone(phone):
            query |= models.Q(phone_normalized=phone)
        if name := name.strip():
            query |= models.Q(name__iexact=name)
        return self.filter(query) if query else self.none()


class Company(OwnedRecord):
    name = models.CharField(_("name"), max_length=200)
    website = models.URLField(
        _("website"), max_length=300, blank=True, validators=[website_validator]
    )
    email_domain = models.CharField(
        _("email domain"), max_length=200, blank=True, help_text=_("For example acme.com")
    )
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    address = models.TextField(_("address"), blank=True)
    industry = models.CharField(_("industry"), max_length=100, blank=True)
    domain_normalized = normalized_email_field("email_domain", max_length=200)
    phone_normalized = normalized_phone_field()

    objects = CompanyQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("company")
        verbose_name_plural = _("companies")
        indexes = [
            models.Index(fields=["domain_normalized"], name="company_domain_idx"),
            models.Index(fields=["phone_normalized"], name="company_phone_idx"),
            models.Index(fields=["name"], name="company_name_idx"),
            # The list's industry filter skips through it, one probe per industry.
            models.Index(fields=["industry"], name="company_industry_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("crm:company_detail", args=[self.pk])


class ContactQuerySet(OwnedQuerySet):
    def matching(self, *, email: str = "", phone: str = ""):
        """Contacts that are probably the same person: same email or phone."""
        query = models.Q()
        if email := normalize_email(email):
            query |= models.Q(email_normalized=email)
        if phone := normalize_phone(phone):
            query |= models.Q(phone_normalized=phone)
        return self.filter(query) if query else self.none()


class Contact(OwnedRecord):
    first_name = models.CharField(_("first name"), max_length=100, blank=True)
    last_name = models.CharField(_("last name"), max_length=100)
    email = models.EmailField(_("email"), max_length=254, blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    job_title = models.CharField(_("job title"), max_length=100, blank=True)
    company = models.ForeignKey(
        Company,
        verbose_name=_("company"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contacts",
    )
    email_normalized = normalized_email_field("email")
    phone_normalized = normalized_phone_field()

    objects = ContactQuerySet.as_manager()

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        indexes = [
            models.Index(fields=["email_normalized"], name="contact_email_idx"),
            models.Index(fields=["phone_normalized"], name="contact_phone_idx"),
            models.Index(fields=["last_name", "first_name"], name="contact_name_idx"),
        ]

    def __str__(self) -> str:
        return self.full_name

    def get_absolute_url(self) -> str:
        return reverse("crm:contact_detail", args=[self.pk])

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()
