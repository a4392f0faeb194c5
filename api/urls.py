from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView

from api.routes import router
from api.views import docs, missing, tokens

app_name = "api"

# The API's own views answer an anonymous caller with a 401 in JSON (DRF opts them out of the
# login redirect); the reference page is a page of the app, for a signed-in user.
urlpatterns = [
    path("tokens/", tokens.token_list, name="tokens"),
    path("tokens/<int:pk>/revoke/", tokens.token_revoke, name="token_revoke"),
    path("v1/docs/", docs.reference, name="docs"),
    path("v1/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("v1/", include(router.urls)),
    re_path(r"^v1/", missing.not_found),
]
