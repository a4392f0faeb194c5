"""The lists records point at, read-only: pipelines and their stages, the reasons and sources
admins keep, and the people and teams this user may hand records to."""

from api import serializers
from api.views.base import ReferenceViewSet
from crm.filters import teams_for
from crm.models import User
from leads.models import DisqualifyReason, LeadSource
from opportunities.models import LostReason, Pipeline


class PipelineViewSet(ReferenceViewSet):
    serializer_class = serializers.PipelineSerializer
    queryset = Pipeline.objects.prefetch_related("stages")


class LostReasonViewSet(ReferenceViewSet):
    serializer_class = serializers.LostReasonSerializer
    queryset = LostReason.objects.all()


class DisqualifyReasonViewSet(ReferenceViewSet):
    serializer_class = serializers.DisqualifyReasonSerializer
    queryset = DisqualifyReason.objects.all()


class LeadSourceViewSet(ReferenceViewSet):
    serializer_class = serializers.LeadSourceSerializer
    queryset = LeadSource.objects.all()


class UserViewSet(ReferenceViewSet):
    serializer_class = serializers.UserSerializer

    def get_queryset(self):
        return User.objects.assignable_by(self.request.user)


class TeamViewSet(ReferenceViewSet):
    serializer_class = serializers.TeamSerializer

    def get_queryset(self):
        return teams_for(self.request.user)
