"""/api/v1/: each app's endpoints under one router, one schema, browsable docs."""

from csp.constants import SELF, UNSAFE_INLINE
from csp.decorators import csp_update
from django.http import JsonResponse
from django.urls import include, path, re_path
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from convene.decisions import api as decisions_api
from convene.meetings import api as meetings_api
from convene.networks import api as networks_api
from convene.reports import api as reports_api
from convene.statements import api as statements_api
from convene.statements import public_api, release_api
from convene.workplans import api as workplans_api

NETWORK = r"networks/(?P<network_slug>[-a-z0-9]+)"
PUBLIC = r"public/(?P<network_slug>[-a-z0-9]+)"

router = DefaultRouter()
router.register("networks", networks_api.NetworkViewSet, basename="network")
router.register("organisations", networks_api.OrganisationViewSet, basename="organisation")
router.register(f"{NETWORK}/bodies", networks_api.BodyViewSet, basename="body")
router.register(f"{NETWORK}/memberships", networks_api.MembershipViewSet, basename="membership")
router.register(f"{NETWORK}/representatives", networks_api.RepresentativeViewSet, basename="representative")
router.register(f"{NETWORK}/rules", networks_api.RuleViewSet, basename="rule")
router.register(f"{NETWORK}/audit-log", networks_api.ChangeLogViewSet, basename="audit-log")
router.register(f"{NETWORK}/meetings", meetings_api.MeetingViewSet, basename="meeting")
router.register(f"{NETWORK}/proposals", decisions_api.ProposalViewSet, basename="proposal")
router.register(f"{NETWORK}/decisions", decisions_api.DecisionViewSet, basename="decision")
router.register(f"{NETWORK}/consultations", decisions_api.ConsultationViewSet, basename="consultation")
router.register(f"{NETWORK}/action-items", decisions_api.ActionItemViewSet, basename="action-item")
router.register(f"{NETWORK}/workplans", workplans_api.WorkplanViewSet, basename="workplan")
router.register(f"{NETWORK}/activities", workplans_api.ActivityViewSet, basename="activity")
router.register(f"{NETWORK}/reports", reports_api.ReportViewSet, basename="report")
router.register(f"{NETWORK}/statements", statements_api.StatementViewSet, basename="statement")
router.register(f"{NETWORK}/releases", release_api.ReleaseViewSet, basename="release")
# Without sign-in: what each network made public.
router.register(f"{PUBLIC}/releases", public_api.PublicReleaseViewSet, basename="public-release")

app_name = "api"

# Swagger UI and Redoc style their pages from script: those two pages alone allow inline styles (and
# Redoc's search worker). Their scripts stay our own files: Swagger UI's set-up is served as a file
# (the "split" view) and Redoc's template is ours (templates/drf_spectacular/redoc.html).
docs_policy = csp_update({"style-src": [UNSAFE_INLINE], "worker-src": [SELF, "blob:"]})


@csrf_exempt  # answers every method the same way, and changes nothing
def not_found(request):
    """Any other address below /api/ (an id that is not a number, a misspelt path): a JSON 404, as the
    schema documents, not the site's HTML page."""
    return JsonResponse({"detail": _("No such endpoint or object (API paths end with “/”).")}, status=404)


urlpatterns = [
    path("v1/", include(router.urls)),
    path("v1/schema/", SpectacularAPIView.as_view(api_version="v1"), name="schema"),
    path("v1/docs/", docs_policy(SpectacularSwaggerSplitView.as_view(url_name="api:schema")), name="docs"),
    path("v1/redoc/", docs_policy(SpectacularRedocView.as_view(url_name="api:schema")), name="redoc"),
    re_path(rf"^v1/{PUBLIC}/$", public_api.PublicNetworkView.as_view(), name="public-network"),
    re_path(r"^", not_found, name="not_found"),  # any path, even one with a newline in it
]

# The API authenticates each request itself (token or session) and answers 401/403, not a redirect
# to the sign-in page, so the site-wide LoginRequiredMiddleware stands aside here.
for pattern in router.urls + urlpatterns[1:]:
    pattern.callback.login_required = False
