from django.shortcuts import redirect

from merging.models import MergedRecord
from merging.services import KINDS

# The pages of a record that can be merged away, by URL name.
DETAIL_PAGES = {
    "crm:company_detail": "company",
    "crm:contact_detail": "contact",
    "leads:detail": "lead",
}


class MergedRecordRedirectMiddleware:
    """The page of a record merged into another answers with the other's (for whoever may see
    it): bookmarks and links in old mail keep working."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        if response.status_code != 404 or request.method != "GET" or match is None:
            return response
        kind = DETAIL_PAGES.get(match.view_name)
        if kind is None or not request.user.is_authenticated:
            return response
        model = KINDS[kind]
        survivor_pk = MergedRecord.objects.survivor_of(model._meta.label, match.kwargs["pk"])
        if survivor_pk is None:
            return response
        survivor = model.objects.visible_to(request.user).filter(pk=survivor_pk).first()
        return redirect(survivor) if survivor is not None else response
