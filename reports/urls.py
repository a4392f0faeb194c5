from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("pipeline/", views.pipeline, name="pipeline"),
    path("forecast/", views.forecast, name="forecast"),
    path("team/", views.team_performance, name="team_performance"),
    path("lead-funnel/", views.lead_funnel, name="lead_funnel"),
    path("win-loss/", views.win_loss, name="win_loss"),
    path("velocity/", views.velocity_view, name="velocity"),
    path("slipped/", views.slipped, name="slipped"),
    path("calibration/", views.calibration, name="calibration"),
]
