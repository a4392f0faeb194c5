from django.urls import path

from setup import views
from setup.views import lists, pipelines, teams

app_name = "setup"

urlpatterns = [
    path("", views.index, name="index"),
    path("pipelines/", pipelines.pipeline_list, name="pipeline_list"),
    path("pipelines/new/", pipelines.pipeline_create, name="pipeline_create"),
    path("pipelines/<int:pipeline_pk>/", pipelines.pipeline_detail, name="pipeline_detail"),
    path("pipelines/<int:pipeline_pk>/rename/", pipelines.pipeline_rename, name="pipeline_rename"),
    path("pipelines/<int:pipeline_pk>/order/", pipelines.stage_reorder, name="stage_reorder"),
    path("pipelines/<int:pipeline_pk>/stages/new/", pipelines.stage_create, name="stage_create"),
    path("stages/<int:stage_pk>/edit/", pipelines.stage_edit, name="stage_edit"),
    path("stages/<int:stage_pk>/move/", pipelines.stage_move, name="stage_move"),
    path("stages/<int:stage_pk>/delete/", pipelines.stage_delete, name="stage_delete"),
    path("stages/<int:stage_pk>/deals/", pipelines.stage_move_deals, name="stage_move_deals"),
    path("lists/<slug:kind>/", lists.item_list, name="item_list"),
    path("lists/<slug:kind>/new/", lists.item_create, name="item_create"),
    path("lists/<slug:kind>/<int:item_pk>/", lists.item_edit, name="item_edit"),
    path("lists/<slug:kind>/<int:item_pk>/active/", lists.item_active, name="item_active"),
    path("teams/", teams.team_list, name="team_list"),
    path("teams/<int:pk>/", teams.team_detail, name="team_detail"),
    path("teams/<int:pk>/members/", teams.member_add, name="member_add"),
    path(
        "teams/<int:pk>/members/<int:user_pk>/remove/",
        teams.member_remove,
        name="member_remove",
    ),
]
