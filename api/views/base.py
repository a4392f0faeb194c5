"""What every resource of the API does alike."""

from django.db import transaction
from django.http import Http404
from rest_framework import mixins, viewsets
from rest_framework.filters import OrderingFilter
from rest_framework.response import Response

from api import idempotency
from api.concurrency import etag, if_match
from api.filters import PageFilters, UpdatedSince
from crm.security_log import record_if_hidden
from crm.versions import StaleEdit
from opportunities.services import ConcurrentEditError


class ApiViewSet(viewsets.GenericViewSet):
    """A record answers with its version as ETag; a write refused because someone saved the
    record since answers 412 with the record as it is now; a POST under an Idempotency-Key
    is done once and its answer replayed."""

    lookup_value_converter = "int"
    pending: idempotency.Pending | None = None

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)  # authenticated, allowed, within the rate
        self.pending = idempotency.begin(request)

    def handle_exception(self, exc):
        if isinstance(exc, idempotency.Replay):
            return exc.response
        if isinstance(exc, StaleEdit | ConcurrentEditError):
            return self.record_response(exc.current, status=412)
        return super().handle_exception(exc)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if self.pending is not None:
            self.pending.keep(response)
            self.pending = None
        return response

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if self.request.method not in ("GET", "HEAD", "OPTIONS"):
            context["if_match"] = if_match(self.request)
        return context

    def record_response(self, record, status=200) -> Response:
        serializer = self.serializer_class(record, context=self.get_serializer_context())
        return Response(serializer.data, status=status, headers={"ETag": etag(record)})


class RecordViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    ApiViewSet,
):
    """A kind of record: listed with its page's filters, read, created and edited through
    its form and services. No DELETE: the API does not remove records."""

    filter_backends = [PageFilters, UpdatedSince, OrderingFilter]
    # Orders a cursor can resume from, each read along an index.
    ordering_fields = ["created_at", "id"]
    ordering = ("-created_at", "-pk")
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def filter_queryset(self, queryset):
        if self.action != "list":
            # A record is found by id whatever the list's defaults (a converted lead too).
            return queryset
        return super().filter_queryset(queryset)

    def get_object(self):
        try:
            return super().get_object()
        except Http404:
            # Someone else's record (not a missing one) is a refused access, to be recorded.
            value = self.kwargs[self.lookup_url_kwarg or self.lookup_field]
            model = self.get_queryset().model
            record_if_hidden(self.request, model._default_manager, **{self.lookup_field: value})
            raise

    def retrieve(self, request, *args, **kwargs):
        return self.record_response(self.get_object())

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return self.record_response(serializer.save(), status=201)

    def update(self, request, *args, **kwargs):
        record = self.get_object()
        serializer = self.get_serializer(record, data=request.data, partial=kwargs.get("partial"))
        serializer.is_valid(raise_exception=True)
        with transaction.atomic():
            return self.record_response(serializer.save())


class ReferenceViewSet(mixins.ListModelMixin, ApiViewSet):
    """A short list that admins keep (pipelines, reasons, sources) or the people and teams:
    read-only, in one page."""

    pagination_class = None
    filter_backends = []
