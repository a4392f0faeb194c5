from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.tracking import Audited
from crm.matching import (
    company_domain,
    company_name_key,
    domain_spellings,
    normalize_email,
    normalized_email_field,
    normalized_phone_field,
    phone_keys,
)
from crm.models.scoping import OwnedQuerySet
from crm.models.trash import TRASHED, LiveManager
from infra.fields import optional_foreign_key
from infra.folding import contains_folded

# A website is a web address or nothing: never javascript:, data: or ftp: (it is shown as a link).
website_validator = URLValidator(schemes=["http", "https"])


def is_web_address(value: str) -> bool:
    """Whether ``value`` passes ``website_validator``: one saved before websites were checked
    may be anything (``javascript:...``), and is then never copied or linked to."""
    try:
        website_validator(value)
    except ValidationError:
        return False
    return True


class OwnedRecord(models.Model):
    """Fields every owned record shares; see ``OwnedQuerySet.visible_to``."""

    owner = optional_foreign_key(settings.AUTH_USER_MODEL, verbose_name=_("owner"))
    team = optional_foreign_key("crm.Team", verbose_name=_("team"))
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # Raised by every save through the app; a save that still holds an older one is refused,
    # so that nobody overwrites an edit they have not seen (crm.versions).
    version = models.PositiveIntegerField(default=1, editable=False)
    # Set while the record is in the trash (crm.trash): the default manager (LiveManager)
    # leaves it out, and the batch says who deleted it and what went with it.
    deleted_at = models.DateTimeField(_("deleted"), null=True, blank=True, editable=False)
    trash_batch = models.ForeignKey(
        "crm.TrashBatch",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
        # Indexed on the trashed rows only (each model's Meta): the live ones have none.
        db_index=False,
    )

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
        """Companies whose name holds every word of ``text`` (the first five), whatever the
        case and accents (``infra.folding``)."""
        condition = models.Q()
        for word in text.split()[:5]:
            condition &= contains_folded("name", word)
        return self.filter(condition)

    def matching(self, *, name: str = "", domains: Iterable[str] = (), phone: str = ""):
        """Companies that look like the same business: same phone, same name once legal form,
        case, accents and punctuation are set aside, or same domain. ``domains`` are what one
        can be read from: a typed domain, a website, an email address (a free mail one says
        nothing). A company has the domain of its email domain, of its website, and of its
        contacts' addresses."""
        query = models.Q()
        spellings = sorted(
            {
                spelling
                for value in domains
                if (domain := company_domain(value))
                for spelling in domain_spellings(domain)
            }
        )
        if spellings:
            query |= models.Q(domain_normalized__in=spellings)
            query |= models.Q(website_domain__in=spellings)
        if phones := phone_keys(phone):
            query |= models.Q(phone_normalized__in=phones)
        if key := company_name_key(name):
            query |= models.Q(name_key=key)
        if not query:
            return self.none()
        if not spellings:
            return self.filter(query)
        written_from = models.Q()
        for spelling in spellings:
            # iendswith: the trigram index on the address (PostgreSQL) answers it.
            written_from |= models.Q(email_normalized__iendswith=f"@{spelling}")
        # One UNION of index reads rather than an OR beside a subquery, which PostgreSQL can
        # only answer by reading every company the user sees.
        found = (
            Company.objects.filter(query)
            .values("pk")
            .union(Contact.objects.filter(written_from).values("company_id"))
        )
        return self.filter(pk__in=found)


class Company(Audited, OwnedRecord):
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
    # Written by save() from the name and the website, to match on (see there).
    name_key = models.CharField(max_length=200, blank=True, default="", editable=False)
    website_domain = models.CharField(max_length=200, blank=True, default="", editable=False)

    objects = LiveManager.from_queryset(CompanyQuerySet)()
    with_trash = models.Manager.from_queryset(CompanyQuerySet)()

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
            models.Index(fields=["name_key"], name="company_name_key_idx"),
            models.Index(fields=["website_domain"], name="company_website_domain_idx"),
            models.Index(fields=["trash_batch"], condition=TRASHED, name="company_trash_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, **kwargs):
        # name_key and website_domain are derived columns like the generated *_normalized
        # ones, but their rules (accents, legal forms, free mail, international names) are
        # Python's and no SQL expression both databases share: they are set here, which every
        # save of a company passes. bulk_create() and update() skip it; seed_scale writes the
        # key itself and nothing renames companies in bulk.
        self.derive_match_keys()
        if (fields := kwargs.get("update_fields")) is not None:
            fields = set(fields)
            fields |= {"name_key"} if "name" in fields else set()
            fields |= {"website_domain"} if "website" in fields else set()
            kwargs["update_fields"] = fields
        super().save(**kwargs)

    def get_absolute_url(self) -> str:
        return reverse("crm:company_detail", args=[self.pk])

    def derive_match_keys(self) -> None:
        self.name_key = company_name_key(self.name)
        self.website_domain = company_domain(self.website)

    @property
    def website_link(self) -> str:
        """The website if it can be linked to; an old unchecked one is shown as text only."""
        return self.website if is_web_address(self.website) else ""


class PersonQuerySet(OwnedQuerySet):
    def matching(self, *, email: str = "", phone: str = ""):
        """People who are probably the same person: same normalised email or phone."""
        query = models.Q()
        if email := normalize_email(email):
            query |= models.Q(email_normalized=email)
        if phones := phone_keys(phone):
            query |= models.Q(phone_normalized__in=phones)
        return self.filter(query) if query else self.none()

    def may_email(self):
        """The people who may be sent an email: those with an address who have not opted out.
        Every email to a lead or a contact picks its recipients through this, and nothing else."""
        return self.exclude(email="").filter(email_opt_out=False)


class Person(Audited, OwnedRecord):
    """What a contact and a lead both are: a person with a name, an email and a phone,
    matched on the last two (see ``PersonQuerySet.matching``)."""

    first_name = models.CharField(_("first name"), max_length=100, blank=True)
    last_name = models.CharField(_("last name"), max_length=100)
    email = models.EmailField(_("email"), max_length=254, blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    job_title = models.CharField(_("job title"), max_length=100, blank=True)
    email_opt_out = models.BooleanField(
        _("opted out"),
        default=False,
        help_text=_("Asked not to be emailed: no email will be sent to this person."),
    )
    email_opt_out_at = models.DateTimeField(
        _("opted out of emails"), null=True, blank=True, editable=False
    )
    email_normalized = normalized_email_field("email")
    phone_normalized = normalized_phone_field()

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def may_email(self) -> bool:
        """Whether this one person may be sent an email (``PersonQuerySet.may_email``)."""
        return bool(self.email) and not self.email_opt_out

    def stamp_email_opt_out(self) -> list[str]:
        """Note when the opt-out was set (or that it was lifted), after ``email_opt_out``
        changed; the fields to save."""
        self.email_opt_out_at = timezone.now() if self.email_opt_out else None
        return ["email_opt_out", "email_opt_out_at"]


class Contact(Person):
    company = optional_foreign_key(Company, verbose_name=_("company"), related_name="contacts")

    objects = LiveManager.from_queryset(PersonQuerySet)()
    with_trash = models.Manager.from_queryset(PersonQuerySet)()

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        indexes = [
            models.Index(fields=["email_normalized"], name="contact_email_idx"),
            models.Index(fields=["phone_normalized"], name="contact_phone_idx"),
            models.Index(fields=["last_name", "first_name"], name="contact_name_idx"),
            models.Index(fields=["trash_batch"], condition=TRASHED, name="contact_trash_idx"),
        ]

    def get_absolute_url(self) -> str:
        return reverse("crm:contact_detail", args=[self.pk])
