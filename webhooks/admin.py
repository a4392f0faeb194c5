"""Webhook endpoints and their delivery log, for administrators only: an event carries any
team's records."""

import json

from django.contrib import admin, messages
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from webhooks.delivery import endpoint_activated, resend
from webhooks.forms import EndpointForm
from webhooks.models import Delivery, Endpoint


def _admin(request) -> bool:
    return getattr(request.user, "is_admin", False)


class AdminsOnly:
    def has_module_permission(self, request):
        return _admin(request) and super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return _admin(request) and super().has_view_permission(request, obj)

    def has_add_permission(self, request, *args):
        return _admin(request) and super().has_add_permission(request, *args)

    def has_change_permission(self, request, obj=None):
        return _admin(request) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return _admin(request) and super().has_delete_permission(request, obj)


@admin.register(Endpoint)
class EndpointAdmin(AdminsOnly, admin.ModelAdmin):
    form = EndpointForm
    list_display = ["url", "description", "active", "consecutive_failures", "disabled_at"]
    list_display += ["delivery_log"]
    list_filter = ["active"]
    search_fields = ["url", "description"]
    readonly_fields = ["secret", "consecutive_failures", "disabled_at", "created_by"]
    readonly_fields += ["created_at", "delivery_log"]
    actions = ["change_secrets"]

    def get_fields(self, request, obj=None):
        fields = ["url", "description", "events", "active"]
        if obj is None:
            return fields
        return [*fields, "secret", "consecutive_failures", "disabled_at", "delivery_log"]

    @admin.display(description=_("Delivery log"))
    def delivery_log(self, endpoint: Endpoint) -> str:
        url = reverse("admin:webhooks_delivery_changelist") + f"?endpoint__id__exact={endpoint.pk}"
        return format_html('<a href="{}">{}</a>', url, _("Deliveries"))

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
        if change and "active" in form.changed_data and obj.active:
            endpoint_activated(obj)

    @admin.action(description=_("Give the selected endpoints a new secret"), permissions=["change"])
    def change_secrets(self, request, queryset):
        endpoints = list(queryset)
        for endpoint in endpoints:
            endpoint.change_secret()
        message = ngettext(
            "%(count)s endpoint has a new secret: give it to its receiver.",
            "%(count)s endpoints have a new secret: give it to their receivers.",
            len(endpoints),
        )
        self.message_user(request, message % {"count": len(endpoints)}, messages.SUCCESS)

    def response_add(self, request, obj, post_url_continue=None):
        # The secret is shown on the endpoint's page: go there to copy it.
        message = _("Copy the signing secret below: the receiver checks each event with it.")
        self.message_user(request, message, messages.INFO)
        return HttpResponseRedirect(reverse("admin:webhooks_endpoint_change", args=[obj.pk]))


@admin.register(Delivery)
class DeliveryAdmin(AdminsOnly, admin.ModelAdmin):
    """The delivery log: each event sent to each endpoint, its answer and its attempts."""

    list_display = ["created_at", "event_name", "record_key", "endpoint", "status", "attempts"]
    list_display += ["last_status_code", "response_ms", "next_attempt_at", "delivered_at"]
    list_filter = ["status", "endpoint", "event__name"]
    list_select_related = ["event", "endpoint"]
    search_fields = ["record_key", "event__uuid"]
    fields = ["event_name", "event_id", "record_key", "endpoint", "status", "attempts"]
    fields += ["next_attempt_at", "last_status_code", "response_ms", "last_error"]
    fields += ["delivered_at", "created_at", "payload"]
    readonly_fields = fields
    actions = ["resend_deliveries"]

    def has_add_permission(self, request):
        return False  # the services write the outbox

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("event"), ordering="event__name")
    def event_name(self, delivery: Delivery) -> str:
        return delivery.event.name

    @admin.display(description=_("event id"))
    def event_id(self, delivery: Delivery) -> str:
        return str(delivery.event.uuid)

    @admin.display(description=_("payload"))
    def payload(self, delivery: Delivery) -> str:
        return format_html("<pre>{}</pre>", json.dumps(delivery.event.payload, indent=2))

    @admin.action(description=_("Resend the selected deliveries"), permissions=["view"])
    def resend_deliveries(self, request, queryset):
        sent = [resend(delivery) for delivery in queryset.select_related("event", "endpoint")]
        message = ngettext(
            "%(count)s delivery queued again.", "%(count)s deliveries queued again.", len(sent)
        )
        self.message_user(request, message % {"count": len(sent)}, messages.SUCCESS)
