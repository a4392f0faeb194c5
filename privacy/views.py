from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from crm.models import Contact
from crm.security_log import Kind, record, visible_or_404
from infra.htmx import HtmxHttpRequest
from infra.spreadsheets import download
from leads.models import Lead
from privacy.forms import EraseForm
from privacy.services import erase_person, export_person, may_handle, people_of

MODELS = {"lead": Lead, "contact": Contact}


def _person(request: HtmxHttpRequest, kind: str, pk: int):
    """The person, if this user may handle their personal data: their team's manager or an
    admin (``may_handle``). For anyone else these pages do not exist (a 404, as merging's):
    a rep asks their manager."""
    if not may_handle(request.user):
        raise Http404
    return visible_or_404(request, MODELS[kind].objects, pk=pk)


@require_GET
def personal_data(request: HtmxHttpRequest, kind: str, pk: int) -> HttpResponse:
    person = _person(request, kind, pk)
    leads, contacts = people_of(person)
    return render(
        request,
        "privacy/personal_data.html",
        {"person": person, "kind": kind, "others": [p for p in [*leads, *contacts] if p != person]},
    )


@require_GET
def export(request: HtmxHttpRequest, kind: str, pk: int) -> HttpResponse:
    person = _person(request, kind, pk)
    content = export_person(person)
    record(Kind.PERSONAL_DATA_EXPORTED, request=request, target=person)
    response = HttpResponse(content, content_type="application/zip")
    return download(response, f"personal-data-{kind}-{person.pk}-{slugify(person)}.zip")


@require_http_methods(["GET", "POST"])
def erase(request: HtmxHttpRequest, kind: str, pk: int) -> HttpResponse:
    person = _person(request, kind, pk)
    form = EraseForm(request.POST or None, person=person)
    if request.method == "POST" and form.is_valid():
        erase_person(person, by=request.user, request=request)
        messages.success(request, _("The person's personal data was erased."))
        return redirect(person.get_absolute_url())
    leads, contacts = people_of(person)
    return render(
        request,
        "privacy/erase.html",
        {
            "person": person,
            "kind": kind,
            "form": form,
            "others": [p for p in [*leads, *contacts] if p != person],
        },
    )
