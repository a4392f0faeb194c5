from django.urls import path

from privacy import views

app_name = "privacy"

# privacy:lead, privacy:lead_export, privacy:lead_erase, and the same for contacts.
urlpatterns = [
    url
    for kind, prefix in (("lead", "leads"), ("contact", "contacts"))
    for url in (
        path(f"{prefix}/<int:pk>/personal-data/", views.personal_data, {"kind": kind}, name=kind),
        path(
            f"{prefix}/<int:pk>/personal-data/export/",
            views.export,
            {"kind": kind},
            name=f"{kind}_export",
        ),
        path(
            f"{prefix}/<int:pk>/personal-data/erase/",
            views.erase,
            {"kind": kind},
            name=f"{kind}_erase",
        ),
    )
]
