from django.contrib import admin
from django.urls import include, path

from crm.views import home, system

# The shared core's own pages, namespaced "crm" like every app's.
core_patterns = []

urlpatterns = [
    path("", home.home, name="home"),
    path("health/", system.health, name="health"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("accounts/profile/", system.profile, name="profile"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("", include((core_patterns, "crm"))),
    path("leads/", include("leads.urls")),
    path("opportunities/", include("opportunities.urls")),
    path("reports/", include("opportunities.report_urls")),
    path("activities/", include("crm.activity_urls")),
]
