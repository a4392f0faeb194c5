from django.urls import path

from opportunities import views

app_name = "opportunities"

urlpatterns = [
    path("", views.opportunity_list, name="list"),
    path("board/", views.board, name="board"),
    path("board/stages/<int:stage_pk>/", views.column, name="column"),
    path("export/", views.export, name="export"),
    path("new/", views.create, name="create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/quick-edit/", views.quick_edit, name="quick_edit"),
    path("<int:pk>/move/", views.move, name="move"),
    path("<int:pk>/won/", views.won, name="won"),
    path("<int:pk>/lost/", views.lost, name="lost"),
    path("<int:pk>/reopen/", views.reopen, name="reopen"),
]
