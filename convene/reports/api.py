"""Reports in the REST API: create, write the narrative, issue; issued versions as data."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from convene.networks.api import NetworkScopedViewSet

from . import documents, services
from . import permissions as perms
from .models import SECTIONS, Report, ReportVersion


class VersionSerializer(serializers.ModelSerializer):
    issued_by = serializers.SlugRelatedField(slug_field="email", read_only=True, allow_null=True)
    data = serializers.SerializerMethodField()

    class Meta:
        model = ReportVersion
        fields = ["version", "issued_at", "issued_by", "data"]

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_data(self, version) -> dict:
        """The document as issued, in the request's language (Accept-Language)."""
        return documents.in_language(version.data)


class ReportSerializer(serializers.ModelSerializer):
    versions = serializers.SerializerMethodField()

    class Meta:
        model = Report
        fields = ["id", "title", "audience", "period", "start", "end", "recipients", "narrative", "versions"]
        read_only_fields = fields

    def get_versions(self, report) -> list[int]:
        return [v.version for v in report.versions.all()]


class ReportWriteSerializer(serializers.Serializer):
    audience = serializers.ChoiceField(Report.Audience.choices)
    period = serializers.ChoiceField(Report.Period.choices)
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    number = serializers.IntegerField(min_value=1, max_value=4, default=1)
    title = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    recipients = serializers.ListField(child=serializers.CharField(), required=False, default=list)


class ReportUpdateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200, required=False)
    recipients = serializers.ListField(child=serializers.CharField(), required=False)
    narrative = serializers.DictField(
        child=serializers.CharField(allow_blank=True),
        required=False,
        help_text="By section: " + ", ".join(key for key, _label in SECTIONS),
    )


class ReportViewSet(NetworkScopedViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """Periodic reports; `versions/{n}` is an issued version exactly as it was issued."""

    serializer_class = ReportSerializer
    queryset = Report.objects.none()
    filterset_fields = ["audience", "period"]
    read_check = staticmethod(perms.can_view_reports)
    write_check = staticmethod(perms.can_manage_reports)

    def get_queryset(self):
        return Report.objects.filter(network=self.network).prefetch_related("versions")

    def get_object(self):
        return perms.get_report_for_user(self.request.user, self.network, self.kwargs["pk"])

    @extend_schema(request=ReportWriteSerializer, responses={201: ReportSerializer})
    def create(self, request, network_slug):
        data = ReportWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        report = services.create_report(by=request.user, network=self.network, **data.validated_data)
        return Response(ReportSerializer(report).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ReportUpdateSerializer, responses=ReportSerializer)
    def partial_update(self, request, network_slug, pk):
        report = self.get_object()
        data = ReportUpdateSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        services.update_report(by=request.user, report=report, **data.validated_data)
        return Response(ReportSerializer(report).data)

    @extend_schema(request=None, responses={201: VersionSerializer})
    @action(detail=True, methods=["post"])
    def issue(self, request, network_slug, pk):
        report = self.get_object()
        if not perms.can_manage_reports(request.user, self.network):
            raise PermissionDenied("The Secretariat issues the reports.")
        version = services.issue_report(by=request.user, report=report)
        return Response(VersionSerializer(version).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=VersionSerializer)
    @action(detail=True, url_path=r"versions/(?P<version>\d+)")
    def version(self, request, network_slug, pk, version):
        report = self.get_object()
        issued = report.versions.filter(version=version).first()
        if issued is None:
            return Response({"detail": "No such version of this report."}, status=status.HTTP_404_NOT_FOUND)
        return Response(VersionSerializer(issued).data)
