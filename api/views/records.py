"""The records, each as its pages show it to this user (``visible_to``): another team's is a
404. Writes and actions call the pages' forms and services."""

from django.db import transaction
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from activities.forms import CompleteActivityForm
from activities.models import Activity
from activities.services import complete_activity
from api import serializers
from api.concurrency import check_version, if_match
from api.filters import ActivityFilter, without_sort
from api.serializers import run_form
from api.views.base import RecordViewSet
from crm.filters import CompanyFilter, ContactFilter
from crm.models import Company, Contact
from leads import services as lead_services
from leads.filters import LeadFilter
from leads.forms import BulkForm, ConvertForm, DisqualifyForm
from leads.models import Lead, LeadConversion
from opportunities import services as opportunity_services
from opportunities.filters import OpportunityFilter
from opportunities.forms import LostForm, MoveForm
from opportunities.models import Opportunity


class LeadViewSet(RecordViewSet):
    serializer_class = serializers.LeadSerializer
    filterset_class = without_sort(LeadFilter)

    def get_queryset(self):
        return Lead.objects.visible_to(self.request.user)

    @extend_schema(request=None, responses=serializers.LeadSerializer)
    @action(detail=True, methods=["post"])
    def qualify(self, request, pk=None):
        lead = self.get_object()
        with transaction.atomic():
            check_version(request, lead)
            lead = lead_services.qualify(lead, by=request.user)
        return self.record_response(lead)

    @extend_schema(request=serializers.DisqualifySerializer, responses=serializers.LeadSerializer)
    @action(detail=True, methods=["post"])
    def disqualify(self, request, pk=None):
        lead = self.get_object()
        form = run_form(DisqualifyForm, request.data)
        with transaction.atomic():
            check_version(request, lead)
            lead = lead_services.disqualify(lead, by=request.user, **form.cleaned_data)
        return self.record_response(lead)

    @extend_schema(
        request=serializers.ConvertSerializer, responses=serializers.ConversionSerializer
    )
    @action(detail=True, methods=["post"])
    def convert(self, request, pk=None):
        """Turn the lead into a contact, maybe a company and a deal, all at once; converting a
        converted lead answers with its conversion."""
        lead = self.get_object()
        if lead.is_converted:
            conversion = LeadConversion.objects.get(lead=lead)
            return Response(serializers.ConversionSerializer(conversion).data)
        data = serializers.convert_defaults(lead, request.data)
        user = request.user
        contacts = Contact.objects.visible_to(user)
        companies = Company.objects.visible_to(user)
        # What the convert screen offers (the look-alikes), and the record the request names.
        offered_contacts = list(contacts.matching(email=lead.email, phone=lead.phone)[:10])
        offered_companies = list(
            companies.matching(name=lead.company_name, domains=[lead.email, lead.website])[:10]
        )
        offered_contacts += contacts.filter(pk=_id(data["contact"]))
        offered_companies += companies.filter(pk=_id(data["company"]))
        form = run_form(
            ConvertForm,
            data,
            lead=lead,
            user=user,
            contacts=offered_contacts,
            companies=offered_companies,
            suggested_name=data["opportunity_name"],
        )
        with transaction.atomic():
            check_version(request, lead)
            conversion = lead_services.convert_lead(lead, by=user, **form.service_arguments())
        return Response(serializers.ConversionSerializer(conversion).data, status=201)

    @extend_schema(
        request=serializers.BulkAssignSerializer, responses=serializers.AssignedSerializer
    )
    @action(detail=False, methods=["post"], url_path="bulk-assign")
    def bulk_assign(self, request):
        """Hand leads to one owner (managers and admins)."""
        user = request.user
        if not (user.is_manager or user.is_admin):
            raise PermissionDenied(_("Only managers and admins assign leads in bulk."))
        data = {**request.data, "action": BulkForm.ASSIGN}
        form = run_form(BulkForm, data, user=user)
        with transaction.atomic():
            # Locked, so that a rep's status change at the same moment is not overwritten.
            leads = list(form.cleaned_data["leads"].select_for_update(of=("self",)))
            count = lead_services.assign(leads, owner=form.cleaned_data["owner"], by=user)
        return Response({"assigned": count})


def _id(value) -> int | None:
    text = str(value)
    return int(text) if text.isdigit() else None


class CompanyViewSet(RecordViewSet):
    serializer_class = serializers.CompanySerializer
    filterset_class = without_sort(CompanyFilter)

    def get_queryset(self):
        return Company.objects.visible_to(self.request.user)


class ContactViewSet(RecordViewSet):
    serializer_class = serializers.ContactSerializer
    filterset_class = without_sort(ContactFilter)

    def get_queryset(self):
        return Contact.objects.visible_to(self.request.user)


class OpportunityViewSet(RecordViewSet):
    serializer_class = serializers.OpportunitySerializer
    filterset_class = without_sort(OpportunityFilter)

    def get_queryset(self):
        return Opportunity.objects.visible_to(self.request.user).select_related("stage")

    @extend_schema(request=serializers.MoveSerializer, responses=serializers.OpportunitySerializer)
    @action(detail=True, methods=["post"])
    def move(self, request, pk=None):
        opportunity = self.get_object()
        form = run_form(MoveForm, request.data, opportunity=opportunity)
        opportunity = opportunity_services.move_opportunity(
            opportunity,
            stage=form.cleaned_data["stage"],
            by=request.user,
            version=if_match(request),
        )
        return self.record_response(opportunity)

    @extend_schema(request=None, responses=serializers.OpportunitySerializer)
    @action(detail=True, methods=["post"])
    def win(self, request, pk=None):
        opportunity = opportunity_services.mark_won(
            self.get_object(), by=request.user, version=if_match(request)
        )
        return self.record_response(opportunity)

    @extend_schema(request=serializers.LoseSerializer, responses=serializers.OpportunitySerializer)
    @action(detail=True, methods=["post"])
    def lose(self, request, pk=None):
        opportunity = self.get_object()
        form = run_form(LostForm, request.data)
        opportunity = opportunity_services.mark_lost(
            opportunity, by=request.user, version=if_match(request), **form.cleaned_data
        )
        return self.record_response(opportunity)

    @extend_schema(request=None, responses=serializers.OpportunitySerializer)
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        opportunity = opportunity_services.reopen(
            self.get_object(), by=request.user, version=if_match(request)
        )
        return self.record_response(opportunity)


class ActivityViewSet(RecordViewSet):
    """Activities are logged, planned or noted (POST) and completed; they are not edited."""

    serializer_class = serializers.ActivitySerializer
    filterset_class = ActivityFilter
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        return Activity.objects.visible_to(self.request.user, by_row=True)

    @extend_schema(
        request=serializers.CompleteSerializer, responses=serializers.CompletionSerializer
    )
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        """Mark it done with its outcome; on an open deal with nothing else planned, the next
        step is required."""
        activity = self.get_object()
        form = run_form(CompleteActivityForm, request.data, activity=activity)
        completion = complete_activity(
            activity,
            outcome=form.cleaned_data["outcome"],
            by=request.user,
            next_step=form.next_step(),
            version=if_match(request),
        )
        data = serializers.CompletionSerializer(
            completion, context=self.get_serializer_context()
        ).data
        return Response(data, headers={"ETag": f'"{completion.activity.version}"'})
