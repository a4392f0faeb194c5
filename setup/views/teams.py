"""Who is in which team: a manager changes the members of the teams they run, an admin those of
every team. Another team is a 404 (``Team.objects.run_by``)."""

from django.contrib import messages
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from crm.models import Team
from infra.htmx import HtmxHttpRequest, wants_fragment
from setup import services
from setup.forms import MemberForm
from setup.views import managers_only, page

SECTION = "teams"


def _team(request: HtmxHttpRequest, pk: int) -> Team:
    return get_object_or_404(Team.objects.run_by(request.user).select_related("manager"), pk=pk)


@managers_only
@require_GET
def team_list(request: HtmxHttpRequest) -> HttpResponse:
    teams = (
        Team.objects.run_by(request.user)
        .select_related("manager")
        .annotate(member_count=Count("members"))
        .order_by("name")
    )
    return page(request, "setup/team_list.html", SECTION, {"teams": teams})


def _members_page(request: HtmxHttpRequest, team: Team, form: MemberForm) -> HttpResponse:
    """The team's page, or with htmx its members region, with the form to add one."""
    context = {"team": team, "members": team.members.all(), "form": form}
    return page(request, "setup/team_detail.html", SECTION, context, region="members")


@managers_only
@require_GET
def team_detail(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    return _members_page(request, _team(request, pk), MemberForm())


def _after_change(request: HtmxHttpRequest, team: Team) -> HttpResponse:
    if wants_fragment(request):
        return _members_page(request, team, MemberForm())
    return redirect("setup:team_detail", team.pk)


@managers_only
@require_POST
def member_add(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Put a person who is in no team into this one."""
    team = _team(request, pk)
    form = MemberForm(request.POST)
    if not form.is_valid():
        return _members_page(request, team, form)
    user = form.cleaned_data["user"]
    try:
        services.add_member(team, user=user, by=request.user)
    except services.SetupError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, _("%(name)s is now in the %(team)s team.") % {"name": user, "team": team}
        )
    return _after_change(request, team)


@managers_only
@require_POST
def member_remove(request: HtmxHttpRequest, pk: int, user_pk: int) -> HttpResponse:
    team = _team(request, pk)
    user = get_object_or_404(team.members.all(), pk=user_pk)
    services.remove_member(team, user=user, by=request.user)
    messages.success(
        request, _("%(name)s is no longer in the %(team)s team.") % {"name": user, "team": team}
    )
    return _after_change(request, team)
