import datetime
from collections.abc import Iterable
from decimal import Decimal
from operator import attrgetter

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import connections, models
from django.db.models import (
    Case,
    Count,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
    Window,
)
from django.db.models.functions import Coalesce, NullIf, RowNumber
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from activities.models import with_activity_badges
from crm.models.companies import Company, OwnedRecord
from crm.models.currency import ExchangeRate
from crm.models.reference import ReferenceItem
from crm.models.scoping import InSubquery, OwnedQuerySet
from crm.models.trash import LIVE, TRASHED, LiveManager
from infra.fields import optional_foreign_key
from infra.folding import contains_folded


class ForecastCategory(models.TextChoices):
    PIPELINE = "pipeline", _("Pipeline")
    BEST_CASE = "best_case", _("Best case")
    COMMIT = "commit", _("Commit")
    OMITTED = "omitted", _("Omitted")


class Pipeline(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    is_default = models.BooleanField(_("default"), default=False)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("pipeline")
        verbose_name_plural = _("pipelines")
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"], condition=Q(is_default=True), name="one_default_pipeline"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Stage(models.Model):
    pipeline = models.ForeignKey(
        Pipeline, verbose_name=_("pipeline"), on_delete=models.CASCADE, related_name="stages"
    )
    name = models.CharField(_("name"), max_length=100)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    probability = models.PositiveSmallIntegerField(
        _("default probability"), default=10, validators=[MaxValueValidator(100)]
    )
    forecast_category = models.CharField(
        _("forecast category"),
        max_length=20,
        choices=ForecastCategory.choices,
        default=ForecastCategory.PIPELINE,
    )
    stale_after_days = models.PositiveSmallIntegerField(
        _("stale after (days)"),
        default=14,
        help_text=_("An open deal with no activity for longer than this is marked stale."),
    )

    class Meta:
        ordering = ["pipeline", "order", "pk"]
        verbose_name = _("stage")
        verbose_name_plural = _("stages")
        constraints = [
            models.UniqueConstraint(fields=["pipeline", "name"], name="unique_stage_name"),
            # One place per stage: the board, the reports and the settings all read the
            # stages in this order, and a tie would be broken differently by each.
            models.UniqueConstraint(fields=["pipeline", "order"], name="unique_stage_order"),
        ]

    def __str__(self) -> str:
        return self.name


class LostReason(ReferenceItem):
    class Meta(ReferenceItem.Meta):
        verbose_name = _("lost reason")
        verbose_name_plural = _("lost reasons")


class OpportunityQuerySet(OwnedQuerySet):
    def with_visible_links(self, user):
        """``company_visible``, ``contact_visible`` and ``lead_visible``: may ``user`` open them?

        Those records follow their own owners, so a rep's deal may be with a company another rep
        owns; its page is a 404 for this rep, so the deal shows its name without a link.
        """
        flags = {}
        for name in ("company", "contact", "lead"):
            related = self.model._meta.get_field(name).related_model
            visible = related.objects.visible_to(user).filter(pk=OuterRef(f"{name}_id"))
            flags[f"{name}_visible"] = Exists(visible)
        return self.annotate(**flags)

    def with_activity_badges(self, *, today=None):
        """Next step, overdue and stale flags per deal (rules in activities.models)."""
        return with_activity_badges(self, today=today)

    def open(self):
        return self.filter(status=Opportunity.Status.OPEN)

    def won(self):
        return self.filter(status=Opportunity.Status.WON)

    def lost(self):
        return self.filter(status=Opportunity.Status.LOST)

    def in_forecast(self, category: str):
        """Deals whose effective forecast category is ``category``; ``IN_FORECAST``: any but
        omitted (what the forecast's weighted figure and open deals count)."""
        deals = self.alias(category=effective_forecast_category())
        if category == IN_FORECAST:
            return deals.exclude(category=ForecastCategory.OMITTED)
        return deals.filter(category=category)

    def pushed_out_between(self, start: datetime.date | None, end: datetime.date | None):
        """Deals whose expected close date a change made between these days (local, both
        included; either may be open) pushed later: the slipped deals report's rule."""
        pushes = close_date_pushes().filter(opportunity=OuterRef("pk"))
        if start is not None:
            pushes = pushes.filter(changed_at__date__gte=start)
        if end is not None:
            pushes = pushes.filter(changed_at__date__lte=end)
        return self.filter(Exists(pushes))

    def with_weighted_amount(self):
        """``weighted_amount_db`` = amount × probability / 100, computed by the database."""
        return self.annotate(weighted_amount_db=weighted_amount_expression())

    def search(self, text: str):
        """Deals whose name or company name contains ``text``, whatever the case and accents
        (``infra.folding``).

        The companies are matched apart (through their trigram index on PostgreSQL) rather than
        joined: a join makes the planner guess few matches, sort every deal of the column and
        hash every company, where reading the board's index in order stops after a few cards.
        """
        text = text.strip()
        if not text:
            return self
        companies = Subquery(
            Company.objects.filter(contains_folded("name", text)).order_by().values("pk")
        )
        # ``= ANY(ARRAY(...))`` on PostgreSQL, so that the OR can read the folded name's trigram
        # index and the company index together rather than fold every deal's name.
        return self.filter(contains_folded("name", text) | Q(InSubquery(F("company"), companies)))

    def totals(self, rates: dict[str, Decimal] | None = None) -> dict:
        """``{"deals", "amount_total", "weighted_total"}`` in one query.

        Amounts are converted to the base currency at ``rates`` (see ``rates_to_base``).
        """
        return self.order_by().aggregate(**_totals(rates or {}))

    def totals_by_stage(self, rates: dict[str, Decimal] | None = None) -> dict[int, dict]:
        """``{stage_id: {"deals", "amount_total", "weighted_total"}}``, in one query."""
        rows = self.order_by().values("stage").annotate(**_totals(rates or {}))
        return {row.pop("stage"): row for row in rows}

    def first_per_stage(self, stage_ids: list[int], size: int) -> list["Opportunity"]:
        """The first ``size`` deals of each stage by close date, in one or two queries.

        On PostgreSQL: which deals, by a UNION ALL of one LIMIT per stage, each part reading
        ``opp_board_idx`` in order and stopping after ``size`` rows, so the cost does not grow
        with the column; then those deals with what this queryset annotates. Two queries, as
        the annotations (a card's badges are eight subqueries) written once rather than once
        per stage halve the time Django spends writing the SQL.
        Elsewhere (SQLite cannot limit the parts of a UNION): a row number per stage.
        """
        ordered = self.order_by("expected_close_date", "pk")
        if not stage_ids:
            return []
        if len(stage_ids) == 1:
            return list(ordered.filter(stage_id=stage_ids[0])[:size])
        if connections[self.db].features.supports_slicing_ordering_in_compound:
            # A compound query's ORDER BY must name selected columns: the date comes along.
            parts = [
                ordered.filter(stage_id=pk).values_list("pk", "expected_close_date")[:size]
                for pk in stage_ids
            ]
            picked = [pk for pk, _date in parts[0].union(*parts[1:], all=True)]
            return list(ordered.filter(pk__in=picked))
        numbered = ordered.filter(stage_id__in=stage_ids).annotate(
            stage_row=Window(
                RowNumber(),
                partition_by=[F("stage_id")],
                order_by=[F("expected_close_date").asc(), F("pk").asc()],
            )
        )
        return list(numbered.filter(stage_row__lte=size))

    def after(self, cursor: tuple[datetime.date, int] | None):
        """Deals that come after ``cursor`` (close date, pk) in board order."""
        if cursor is None:
            return self
        date, pk = cursor
        return self.filter(
            Q(expected_close_date__gt=date) | Q(expected_close_date=date, pk__gt=pk)
        ).order_by("expected_close_date", "pk")


IN_FORECAST = "forecast"


def effective_forecast_category():
    """The deal's own forecast category when a rep set one, else its stage's."""
    return Coalesce(NullIf(F("forecast_category"), Value("")), F("stage__forecast_category"))


def close_date_pushes():
    """The history rows that pushed a deal's expected close date later."""
    return OpportunityChange.objects.filter(
        field=OpportunityChange.Field.EXPECTED_CLOSE_DATE,
        new_value__gt=F("old_value"),  # ISO dates compare as text
    ).exclude(old_value="")


def weighted_amount_expression(amount=None):
    # × 0.01 rather than ÷ 100: SQLite divides integers as integers.
    return ExpressionWrapper(
        (amount or F("amount")) * F("probability") * Value(Decimal("0.01")),
        output_field=DecimalField(max_digits=16, decimal_places=2),
    )


def rates_to_base(on: datetime.date | None = None) -> dict[str, Decimal]:
    """``{currency: rate}``: the rate of each currency valid on ``on`` (today), one query."""
    on = on or timezone.localdate()
    rates: dict[str, Decimal] = {}
    for currency, rate in (
        ExchangeRate.objects.filter(valid_from__lte=on)
        .order_by("currency", "-valid_from")
        .values_list("currency", "rate")
    ):
        rates.setdefault(currency, rate)
    rates.pop(settings.BASE_CURRENCY, None)
    return rates


def amount_in_base_expression(rates: dict[str, Decimal]):
    """The amount in the base currency, with the rates written into the SQL as constants.

    A currency without a rate counts at par: better a visible total than a hidden deal.
    """
    if not rates:
        return F("amount")
    return ExpressionWrapper(
        F("amount")
        * Case(
            *(When(currency=code, then=Value(rate)) for code, rate in rates.items()),
            default=Value(Decimal(1)),
            output_field=DecimalField(max_digits=18, decimal_places=8),
        ),
        output_field=DecimalField(max_digits=20, decimal_places=2),
    )


def _totals(rates: dict[str, Decimal]) -> dict:
    money = DecimalField(max_digits=20, decimal_places=2)
    amount = amount_in_base_expression(rates)
    return {
        # COUNT(*) rather than of the id: the id is not in opp_open_totals_idx, and the board's
        # totals are then read from that index alone.
        "deals": Count("*"),
        "amount_total": Coalesce(Sum(amount), Value(Decimal(0)), output_field=money),
        "weighted_total": Coalesce(
            Sum(weighted_amount_expression(amount)), Value(Decimal(0)), output_field=money
        ),
    }


class Opportunity(OwnedRecord):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        WON = "won", _("Won")
        LOST = "lost", _("Lost")

    name = models.CharField(_("name"), max_length=200)
    company = optional_foreign_key(
        "crm.Company",
        verbose_name=_("company"),
        on_delete=models.PROTECT,
        related_name="opportunities",
    )
    contact = optional_foreign_key(
        "crm.Contact", verbose_name=_("primary contact"), related_name="opportunities"
    )
    pipeline = models.ForeignKey(
        Pipeline, verbose_name=_("pipeline"), on_delete=models.PROTECT, related_name="opportunities"
    )
    stage = models.ForeignKey(
        Stage, verbose_name=_("stage"), on_delete=models.PROTECT, related_name="opportunities"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    amount = models.DecimalField(
        _("expected amount"),
        max_digits=14,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    currency = models.CharField(_("currency"), max_length=3, default=settings.BASE_CURRENCY)
    probability = models.PositiveSmallIntegerField(
        _("probability (%)"), default=10, validators=[MaxValueValidator(100)]
    )
    probability_is_manual = models.BooleanField(
        _("probability set by hand"),
        default=False,
        help_text=_("When off, moving the deal to another stage takes that stage's probability."),
    )
    forecast_category = models.CharField(
        _("forecast category"),
        max_length=20,
        choices=ForecastCategory.choices,
        blank=True,
        help_text=_("Leave empty to use the stage's category."),
    )
    expected_close_date = models.DateField(_("expected close date"))
    closed_date = models.DateField(_("closed on"), null=True, blank=True)
    lost_reason = optional_foreign_key(
        LostReason,
        verbose_name=_("lost reason"),
        on_delete=models.PROTECT,
        related_name="opportunities",
    )
    competitor = models.CharField(_("competitor"), max_length=200, blank=True)
    lead = optional_foreign_key(
        "leads.Lead", verbose_name=_("source lead"), related_name="opportunities"
    )

    objects = LiveManager.from_queryset(OpportunityQuerySet)()
    with_trash = models.Manager.from_queryset(OpportunityQuerySet)()

    class Meta:
        ordering = ["expected_close_date", "pk"]
        verbose_name = _("opportunity")
        verbose_name_plural = _("opportunities")
        indexes = [
            models.Index(fields=["stage", "status", "expected_close_date"], name="opp_board_idx"),
            # The API's sync, ``?updated_since=``: the few deals changed since the last run.
            models.Index(fields=["updated_at"], name="opp_updated_idx"),
            # The board's columns: open deals of a stage in close-date order, read 25 at a time.
            models.Index(
                fields=["stage", "expected_close_date", "id"],
                condition=Q(status="open") & LIVE,
                name="opp_open_board_idx",
            ),
            models.Index(fields=["owner", "status", "expected_close_date"], name="opp_owner_idx"),
            models.Index(fields=["status", "expected_close_date"], name="opp_status_close_idx"),
            # The deal list's default order (close date, then id): its first page is read in
            # index order and stops after 25 rows instead of sorting every deal.
            models.Index(fields=["expected_close_date", "id"], name="opp_close_order_idx"),
            models.Index(fields=["trash_batch"], condition=TRASHED, name="opp_trash_idx"),
            # opp_open_totals_live_idx, a partial covering index for the board's column totals, is
            # created on PostgreSQL only by migrations 0003 and 0014 (SQLite has no INCLUDE).
        ]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="opp_amount_not_negative"),
            models.CheckConstraint(
                condition=Q(probability__gte=0, probability__lte=100), name="opp_probability_range"
            ),
            models.CheckConstraint(
                condition=~Q(status="lost") | Q(lost_reason__isnull=False),
                name="opp_lost_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("opportunities:detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    @property
    def weighted_amount(self) -> Decimal:
        return (self.amount * self.probability / Decimal(100)).quantize(Decimal("0.01"))

    @property
    def effective_forecast_category(self) -> str:
        return self.forecast_category or self.stage.forecast_category

    @property
    def is_past_due(self) -> bool:
        return self.is_open and self.expected_close_date < timezone.localdate()


class OpportunityChange(models.Model):
    """History of a deal: one row per change of stage, status, amount, probability, close date or
    owner.

    Written only by the transition functions in ``opportunities.services``. Stage changes also
    carry the stages as foreign keys, so that time-in-stage and lost-at-stage can be reported.

    A row that enters a stage ("created" or "stage") begins a *stay* there, which the deal's
    next stage or status change ends: that change writes ``left_at`` and ``moved_on`` on it.
    """

    class Field(models.TextChoices):
        CREATED = "created", _("Created")
        STAGE = "stage", _("Stage")
        STATUS = "status", _("Status")
        AMOUNT = "amount", _("Amount")
        PROBABILITY = "probability", _("Probability")
        EXPECTED_CLOSE_DATE = "expected_close_date", _("Expected close date")
        OWNER = "owner", _("Owner")

    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="changes")
    field = models.CharField(_("field"), max_length=30, choices=Field.choices)
    old_value = models.CharField(_("old value"), max_length=100, blank=True)
    new_value = models.CharField(_("new value"), max_length=100, blank=True)
    from_stage = optional_foreign_key(Stage, related_name="+")
    to_stage = optional_foreign_key(Stage, related_name="+")
    changed_by = optional_foreign_key(
        settings.AUTH_USER_MODEL, verbose_name=_("changed by"), related_name="+"
    )
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)
    # On a row entering a stage: when the stay ended, and whether the deal then moved on (to
    # another stage, or won) rather than being lost. Empty while the stay goes on.
    left_at = models.DateTimeField(_("left at"), null=True, blank=True, editable=False)
    moved_on = models.BooleanField(_("moved on"), null=True, blank=True, editable=False)

    ENTERS_STAGE = (Field.CREATED, Field.STAGE)
    ENDS_STAY = (Field.STAGE, Field.STATUS)

    class Meta:
        ordering = ["-changed_at", "-pk"]
        verbose_name = _("opportunity change")
        verbose_name_plural = _("opportunity changes")
        indexes = [
            models.Index(fields=["opportunity", "changed_at"], name="opp_change_idx"),
            models.Index(fields=["field", "changed_at"], name="opp_change_field_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.opportunity_id} {self.field}: {self.old_value} → {self.new_value}"

    @property
    def moves_on(self) -> bool:
        """Whether this change, ending a stay, takes the deal on (another stage, a win)."""
        return moves_on(self.field, self.new_value)

    @property
    def old_display(self) -> str:
        return self._display(self.old_value)

    @property
    def new_display(self) -> str:
        return self._display(self.new_value)

    def _display(self, value: str) -> str:
        """A stored value as people read it: "Won", "15,800.00", "50 %", the local short date."""
        if not value:
            return value
        try:
            if self.field == self.Field.STATUS:
                return str(Opportunity.Status(value).label)
            if self.field == self.Field.AMOUNT:
                return formats.number_format(Decimal(value), 2, use_l10n=True, force_grouping=True)
            if self.field == self.Field.PROBABILITY:
                return f"{value} %"
            if self.field == self.Field.EXPECTED_CLOSE_DATE:
                return formats.date_format(datetime.date.fromisoformat(value), "SHORT_DATE_FORMAT")
        except (ValueError, ArithmeticError):
            pass  # A value written by hand in the admin: shown as it is.
        return value


def moves_on(field: str, new_value: str) -> bool:
    """Whether a change ending a stay takes the deal on (another stage, a win), not lost."""
    return field == OpportunityChange.Field.STAGE or (
        field == OpportunityChange.Field.STATUS and new_value == Opportunity.Status.WON
    )


def ended_stays(rows: Iterable, *, field=attrgetter("field")) -> list[tuple]:
    """``(row that began a stay, row that ended it)`` in one deal's history ``rows``, in order
    (model instances, or anything ``field`` reads the field of). A stay still going on at the
    end of ``rows`` has no pair."""
    pairs, begun = [], None
    for row in rows:
        if field(row) in OpportunityChange.ENDS_STAY and begun is not None:
            pairs.append((begun, row))
            begun = None
        if field(row) in OpportunityChange.ENTERS_STAGE:
            begun = row
    return pairs
