from django.urls import path

from merging import views

app_name = "merging"

# One address per kind of record that can be merged: merging:company, merging:contact, ...
urlpatterns = [
    path(f"{kind}/<int:pk>/", views.merge, {"kind": kind}, name=kind)
    for kind in ("company", "contact", "lead")
]
