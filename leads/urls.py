from django.urls import path

from leads import views

app_name = "leads"

urlpatterns = [
    path("", views.lead_list, name="list"),
    path("new/", views.lead_create, name="create"),
    path("bulk/", views.bulk_action, name="bulk"),
    path("<int:pk>/", views.lead_detail, name="detail"),
    path("<int:pk>/edit/", views.lead_edit, name="edit"),
    path("<int:pk>/delete/", views.lead_delete, name="delete"),
    path("<int:pk>/status/", views.change_status, name="change_status"),
    path("<int:pk>/disqualify/", views.disqualify, name="disqualify"),
    path("<int:pk>/convert/", views.convert, name="convert"),
    path("web/", views.web_form, name="web_form"),
    path("web/held/", views.web_held, name="web_held"),
    path("web/held/purge/", views.web_purge_shown, name="web_purge_shown"),
    path("web/held/<int:pk>/release/", views.web_release, name="web_release"),
    path("web/held/<int:pk>/purge/", views.web_purge, name="web_purge"),
    path("import/", views.import_upload, name="import"),
    path("import/<int:pk>/", views.import_detail, name="import_detail"),
    path("import/<int:pk>/map/", views.import_map, name="import_map"),
    path("import/<int:pk>/rejected.csv", views.import_rejected, name="import_rejected"),
    path("import/<int:pk>/rejected.xlsx", views.import_rejected_xlsx, name="import_rejected_xlsx"),
]
