"""Writing an email from a record's page, and the email templates' settings pages.

The record is named in the query string (``?opportunity=12``, or lead, contact, company), as
for the activity forms, and fetched through its model's ``visible_to``.
"""

from django.apps import apps
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from activities.models import SUBJECT_MODELS
from activities.templatetags.activities import record_url
from crm.security_log import visible_or_404
from infra.htmx import HtmxHttpRequest, render_region
from infra.ids import parse_id
from mail.forms import EmailForm, EmailTemplateForm
from mail.models import EmailTemplate, OutboundEmail
from mail.recipients import candidates
from mail.services import retry_email, save_template, send_email
from setup.views import form_page, managers_only, page


def _record(request: HttpRequest):
    """The record named in the query string, if the user may see it; 404 otherwise."""
    for kind, label in SUBJECT_MODELS.items():
        if kind in request.GET:
            pk = parse_id(request.GET[kind])
            if pk is None:
                raise Http404
            return visible_or_404(request, apps.get_model(label).objects, pk=pk)
    raise Http404


@require_http_methods(["GET", "POST"])
def compose(request: HtmxHttpRequest) -> HttpResponse:
    """Write an email to the people of a record; ``?template=<id>`` starts from a template
    (the picker swaps the form over htmx, or reloads the page without JavaScript)."""
    record = _record(request)
    people = candidates(record, user=request.user)
    templates = EmailTemplate.objects.for_language(request.LANGUAGE_CODE)
    chosen = None
    if request.method == "POST":
        form = EmailForm(request.POST, candidates=people)
        if form.is_valid():
            try:
                send_email(
                    record=record,
                    by=request.user,
                    to=form.recipients("to"),
                    cc=form.recipients("cc"),
                    subject=form.cleaned_data["subject"],
                    body=form.cleaned_data["body"],
                    template=form.cleaned_data["template"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Email queued: it goes out in a moment."))
                return redirect(record_url(record) or reverse("home"))
    else:
        template_id = parse_id(request.GET.get("template", ""))
        chosen = templates.filter(pk=template_id).first() if template_id else None
        first = next((person for person in people if person.may_email), None)
        initial = {"to": [first.key] if first else []}
        if chosen is not None:
            initial.update(template=chosen, subject=chosen.subject, body=chosen.body)
        form = EmailForm(initial=initial, candidates=people)
    kind = record._meta.model_name
    context = {
        "form": form,
        "record": record,
        "kind": kind,
        "templates": templates,
        "chosen": chosen,
        "record_url": record_url(record),
    }
    return render_region(request, "mail/compose.html", "compose-form", context)


@require_POST
def retry(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Send a failed email again, from its record's timeline or My day."""
    email = visible_or_404(request, OutboundEmail.objects.select_related("activity"), pk=pk)
    if retry_email(email):
        messages.success(request, _("Email queued again: it goes out in a moment."))
    else:
        messages.info(request, _("This email is not failed: it was not queued again."))
    return redirect(record_url(email.activity.record) or reverse("home"))


@managers_only
@require_GET
def template_list(request: HtmxHttpRequest) -> HttpResponse:
    context = {"templates": EmailTemplate.objects.all()}
    return page(request, "mail/template_list.html", "email_templates", context)


@managers_only
@require_http_methods(["GET", "POST"])
def template_create(request: HtmxHttpRequest) -> HttpResponse:
    return _template_form(request, EmailTemplate(language=request.LANGUAGE_CODE))


@managers_only
@require_http_methods(["GET", "POST"])
def template_edit(request: HtmxHttpRequest, template_pk: int) -> HttpResponse:
    return _template_form(request, get_object_or_404(EmailTemplate, pk=template_pk))


def _template_form(request: HtmxHttpRequest, template: EmailTemplate) -> HttpResponse:
    form = EmailTemplateForm(request.POST or None, instance=template)
    if request.method == "POST" and form.is_valid():
        save_template(template=form.save(commit=False))
        messages.success(request, _("Email template saved."))
        return redirect("mail:template_list")
    title = _("Edit email template") if template.pk else _("New email template")
    return form_page(
        request,
        form,
        section="email_templates",
        title=title,
        cancel_url=reverse("mail:template_list"),
    )


@managers_only
@require_http_methods(["POST"])
def template_delete(request: HtmxHttpRequest, template_pk: int) -> HttpResponse:
    template = get_object_or_404(EmailTemplate, pk=template_pk)
    template.delete()
    messages.success(request, _("Email template deleted."))
    return redirect("mail:template_list")
