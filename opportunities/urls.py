from django.urls import path

from opportunities.views import board, lists, records

app_name = "opportunities"

urlpatterns = [
    path("", lists.opportunity_list, name="list"),
    path("board/", board.board, name="board"),
    path("board/stages/<int:stage_pk>/", board.column, name="column"),
    path("export/", lists.export, name="export"),
    path("export.xlsx", lists.export_xlsx, name="export_xlsx"),
    path("new/", records.create, name="create"),
    path("<int:pk>/", records.detail, name="detail"),
    path("<int:pk>/edit/", records.edit, name="edit"),
    path("<int:pk>/delete/", records.delete, name="delete"),
    path("<int:pk>/quick-edit/", records.quick_edit, name="quick_edit"),
    path("<int:pk>/move/", board.move, name="move"),
    path("<int:pk>/won/", board.won, name="won"),
    path("<int:pk>/lost/", board.lost, name="lost"),
    path("<int:pk>/reopen/", board.reopen, name="reopen"),
    path("<int:pk>/undo/", board.undo, name="undo"),
]
