"""Every resource of the API, by URL. The permission test walks this router: a resource added
here is tested for every kind of caller at once."""

from rest_framework.routers import SimpleRouter

from api.views import records, reference, reports

router = SimpleRouter(use_regex_path=False)
router.register("leads", records.LeadViewSet, basename="lead")
router.register("companies", records.CompanyViewSet, basename="company")
router.register("contacts", records.ContactViewSet, basename="contact")
router.register("opportunities", records.OpportunityViewSet, basename="opportunity")
router.register("activities", records.ActivityViewSet, basename="activity")
router.register("pipelines", reference.PipelineViewSet, basename="pipeline")
router.register("lost-reasons", reference.LostReasonViewSet, basename="lost-reason")
router.register(
    "disqualify-reasons", reference.DisqualifyReasonViewSet, basename="disqualify-reason"
)
router.register("lead-sources", reference.LeadSourceViewSet, basename="lead-source")
router.register("users", reference.UserViewSet, basename="user")
router.register("teams", reference.TeamViewSet, basename="team")
# The report figures: one GET each under reports/ (no list, no record).
router.register("reports", reports.ReportViewSet, basename="report")
