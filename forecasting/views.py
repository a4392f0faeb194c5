"""The quotas page: managers set those of the teams they run and of their members, admins any;
a rep reads their own. Another team's quota is a 404."""

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from crm.models import User
from crm.security_log import visible_or_404
from forecasting import services
from forecasting.forms import PeriodForm, QuotaForm, period_value
from forecasting.models import Quota, may_set_for, period_label
from forecasting.tables import quota_rows
from infra.htmx import HtmxHttpRequest, render_region, wants_fragment


def sets_quotas(user: User) -> bool:
    return user.is_manager or user.is_admin


def _rows(user: User, quotas: list[Quota]) -> list[dict]:
    """A row for each team and rep whose quota ``user`` may set (a rep: themselves), with the
    quota of the period when one is set."""
    of_team = {q.team_id: q for q in quotas if q.owner_id is None}
    of_rep = {q.owner_id: q for q in quotas if q.owner_id is not None}
    if not sets_quotas(user):
        return [{"kind": "rep", "who": user, "quota": of_rep.get(user.pk)}]
    reps, teams = may_set_for(user)
    rows = [
        {"kind": "team", "who": team, "quota": of_team.get(team.pk)}
        for team in teams.order_by("name")
    ]
    rows += [
        {"kind": "rep", "who": rep, "quota": of_rep.get(rep.pk)}
        for rep in reps.select_related("team").order_by("team__name", "first_name", "last_name")
    ]
    return rows


def _initial(request: HtmxHttpRequest, chosen, quotas: list[Quota]) -> dict:
    """The form's first values: the period shown, and with ``?rep=`` or ``?team=`` (a row's
    "Change") that row's quota."""
    initial = {"period": period_value(*chosen)}
    for field, key in (("owner", "rep"), ("team", "team")):
        value = request.GET.get(key, "")
        if not value.isdigit():
            continue
        initial[field] = int(value)
        for quota in quotas:
            if getattr(quota, f"{field}_id") == int(value) and (
                field == "team" or quota.owner_id is not None
            ):
                initial |= {"amount": quota.amount, "deals": quota.deals}
                initial["activities"] = quota.activities
    return initial


def _page(request: HtmxHttpRequest, period_form: PeriodForm, form: QuotaForm | None):
    chosen = period_form.chosen()
    quotas = list(
        Quota.objects.visible_to(request.user)
        .filter(period=chosen[0], start=chosen[1])
        .select_related("owner", "team", "set_by")
    )
    if form is None and sets_quotas(request.user):
        form = QuotaForm(
            user=request.user,
            today=period_form.today,
            initial=_initial(request, chosen, quotas),
        )
    rows = _rows(request.user, quotas)
    context = {
        "period_form": period_form,
        "period_label": period_label(*chosen),
        "rows": rows,
        "quota_rows": quota_rows(
            request, rows, period=period_value(*chosen), can_set=sets_quotas(request.user)
        ),
        "form": form,
        "base_currency": settings.BASE_CURRENCY,
    }
    return render_region(request, "forecasting/quota_list.html", "quotas", context)


@require_GET
def quota_list(request: HtmxHttpRequest) -> HttpResponse:
    period_form = PeriodForm(request.GET, today=timezone.localdate())
    return _page(request, period_form, None)


@require_POST
def quota_set(request: HtmxHttpRequest) -> HttpResponse:
    if not sets_quotas(request.user):
        raise Http404
    today = timezone.localdate()
    form = QuotaForm(request.POST, user=request.user, today=today)
    period_form = PeriodForm({"period": request.POST.get("period", "")}, today=today)
    if not form.is_valid():
        return _page(request, period_form, form)
    period, start = form.cleaned_data["period"]
    data = form.cleaned_data
    try:
        quota = services.set_quota(
            by=request.user,
            period=period,
            start=start,
            amount=data["amount"],
            owner=data["owner"],
            team=data["team"],
            deals=data["deals"],
            activities=data["activities"],
        )
    except services.QuotaError as error:
        form.add_error(None, str(error))
        return _page(request, period_form, form)
    messages.success(
        request,
        _("The quota of %(who)s for %(period)s is set.")
        % {"who": quota.owner or quota.team, "period": quota.period_label},
    )
    if wants_fragment(request):
        return _page(request, period_form, None)
    return redirect(f"{reverse('forecasting:quotas')}?period={period_value(period, start)}")


@require_POST
def quota_remove(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    if not sets_quotas(request.user):
        raise Http404
    quota = visible_or_404(request, Quota.objects, pk=pk)
    try:
        services.remove_quota(quota, by=request.user)
    except services.QuotaError:
        raise Http404 from None
    messages.success(
        request,
        _("The quota of %(who)s for %(period)s is removed.")
        % {"who": quota.owner or quota.team, "period": quota.period_label},
    )
    period = period_value(quota.period, quota.start)
    if wants_fragment(request):
        return _page(request, PeriodForm({"period": period}, today=timezone.localdate()), None)
    return redirect(f"{reverse('forecasting:quotas')}?period={period}")
