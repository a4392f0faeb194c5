from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path
from django.views.generic import RedirectView

from crm.views import companies, contacts, passwords, system, trash
from infra.login_lock import LoginForm

# The shared core's own pages, namespaced "crm" like every app's.
core_patterns = [
    path("companies/", companies.company_list, name="company_list"),
    path("companies/new/", companies.company_create, name="company_create"),
    path("companies/options/", companies.company_options, name="company_options"),
    path("companies/<int:pk>/", companies.company_detail, name="company_detail"),
    path("companies/<int:pk>/edit/", companies.company_edit, name="company_edit"),
    path("companies/<int:pk>/delete/", companies.company_delete, name="company_delete"),
    path("contacts/", contacts.contact_list, name="contact_list"),
    path("contacts/new/", contacts.contact_create, name="contact_create"),
    path("contacts/<int:pk>/", contacts.contact_detail, name="contact_detail"),
    path("contacts/<int:pk>/edit/", contacts.contact_edit, name="contact_edit"),
    path("contacts/<int:pk>/delete/", contacts.contact_delete, name="contact_delete"),
    path("trash/", trash.trash_list, name="trash"),
    path("trash/<uuid:pk>/restore/", trash.trash_restore, name="trash_restore"),
    path("trash/<uuid:pk>/purge/", trash.trash_purge, name="trash_purge"),
]

urlpatterns = [
    path("", include("home.urls")),
    path("health/", system.health, name="health"),
    path("health/ping/", system.ping, name="health-ping"),
    path("health/ping/<str:result_id>/", system.ping_result, name="health-ping-result"),
    path("accounts/login/", auth_views.LoginView.as_view(form_class=LoginForm), name="login"),
    # Django's own password pages, recording what they do in the security log.
    path(
        "accounts/password_change/",
        passwords.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path("accounts/password_reset/", passwords.PasswordResetView.as_view(), name="password_reset"),
    path(
        "accounts/reset/<uidb64>/<token>/",
        passwords.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("accounts/profile/", system.profile, name="profile"),
    path("i18n/", include("django.conf.urls.i18n")),
    # Activities had the core's admin pages before they had an app of their own.
    re_path(
        r"^admin/crm/activity/(?P<rest>.*)$",
        RedirectView.as_view(url="/admin/activities/activity/%(rest)s", query_string=True),
    ),
    path("admin/", admin.site.urls),
    path("", include((core_patterns, "crm"))),
    path("leads/", include("leads.urls")),
    path("opportunities/", include("opportunities.urls")),
    path("quotas/", include("forecasting.urls")),
    path("reports/", include("reports.urls")),
    path("search/", include("search.urls")),
    path("activities/", include("activities.urls")),
    path("calendar/", include("activities.feed_urls")),
    path("merge/", include("merging.urls")),
    path("", include("privacy.urls")),
    path("api/", include("api.urls")),
    path("settings/", include("setup.urls")),
    path("notifications/", include("notifications.urls")),
    path("mail/", include("mail.urls")),
]

# A 403 (the admin's, or any PermissionDenied) is a refused access: recorded, then answered.
handler403 = "crm.views.system.permission_denied"
