"""Workplans in the REST API: the same services and permission functions as the pages."""

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from convene.networks.api import NetworkObjectField, NetworkScopedViewSet, _organisation, field_error
from convene.networks.models import Body

from . import permissions as perms
from . import queries, services, spreadsheet
from .models import Activity, GcmObjective, GuidingPrinciple, Indicator, ProgressUpdate, SdgTarget, Workplan


class IndicatorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Indicator
        fields = [
            "id", "name", "unit", "baseline", "target", "actual", "by_sex", "by_age", "actual_by_sex",
            "actual_by_age",
        ]  # fmt: skip


class ActivityProgressSerializer(serializers.ModelSerializer):
    author = serializers.SlugRelatedField(slug_field="email", read_only=True, allow_null=True)

    class Meta:
        model = ProgressUpdate
        fields = ["year", "quarter", "narrative", "percent", "rag", "author", "updated_at"]
        read_only_fields = ["author", "updated_at"]


class ActivitySerializer(serializers.ModelSerializer):
    lead_organisation = serializers.SlugRelatedField(slug_field="acronym", read_only=True)
    participants = serializers.SlugRelatedField(slug_field="acronym", many=True, read_only=True)
    working_group = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    gcm_objectives = serializers.SlugRelatedField(slug_field="number", many=True, read_only=True)
    guiding_principles = serializers.SlugRelatedField(slug_field="key", many=True, read_only=True)
    sdg_targets = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    gap = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True)

    class Meta:
        model = Activity
        fields = [
            "id", "workplan", "code", "title", "description", "lead_organisation", "participants",
            "working_group", "start_quarter", "end_quarter", "status", "currency", "budget", "funded",
            "pipeline", "gap",
            "funding_source", "funding_detail", "gcm_objectives", "guiding_principles", "sdg_targets",
            "gender_marker", "gender_justification", "human_rights_marker", "human_rights_justification",
            "strategic_priority", "unsdcf_outcome", "unsdcf_output",
        ]  # fmt: skip


class ActivityDetailSerializer(ActivitySerializer):
    indicators = IndicatorSerializer(many=True, read_only=True)
    progress = ActivityProgressSerializer(many=True, read_only=True)

    class Meta(ActivitySerializer.Meta):
        fields = [*ActivitySerializer.Meta.fields, "indicators", "progress"]


class ActivityWriteSerializer(serializers.Serializer):
    workplan = NetworkObjectField(
        Workplan,
        scope=lambda network: Workplan.objects.filter(network=network),
        what=_("workplan"),
        required=False,
        help_text="On creation.",
    )
    code = serializers.CharField(max_length=20)
    title = serializers.CharField(max_length=300)
    description = serializers.CharField(required=False, allow_blank=True)
    lead_organisation = serializers.CharField(help_text="Acronym.")
    participants = serializers.ListField(child=serializers.CharField(), required=False)
    working_group = serializers.SlugField(required=False, allow_null=True)
    start_quarter = serializers.IntegerField(min_value=1, max_value=4)
    end_quarter = serializers.IntegerField(min_value=1, max_value=4)
    status = serializers.ChoiceField(Activity.Status.choices, required=False)
    currency = serializers.CharField(max_length=3, required=False)
    budget = serializers.DecimalField(max_digits=14, decimal_places=2, required=False)
    funded = serializers.DecimalField(max_digits=14, decimal_places=2, required=False)
    pipeline = serializers.DecimalField(max_digits=14, decimal_places=2, required=False)
    funding_source = serializers.ChoiceField(Activity.FundingSource.choices, required=False, allow_blank=True)
    funding_detail = serializers.CharField(max_length=200, required=False, allow_blank=True)
    gcm_objectives = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=32767),
        required=False,
        help_text="Numbers 1–23.",
    )
    guiding_principles = serializers.ListField(child=serializers.SlugField(), required=False)
    sdg_targets = serializers.ListField(child=serializers.CharField(), required=False)
    gender_marker = serializers.IntegerField(min_value=0, max_value=3, required=False, allow_null=True)
    gender_justification = serializers.CharField(max_length=500, required=False, allow_blank=True)
    human_rights_marker = serializers.IntegerField(min_value=0, max_value=3, required=False, allow_null=True)
    human_rights_justification = serializers.CharField(max_length=500, required=False, allow_blank=True)
    strategic_priority = serializers.CharField(max_length=200, required=False, allow_blank=True)
    unsdcf_outcome = serializers.CharField(max_length=40, required=False, allow_blank=True)
    unsdcf_output = serializers.CharField(max_length=40, required=False, allow_blank=True)


class WorkplanSerializer(serializers.ModelSerializer):
    working_group = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    decision = serializers.SlugRelatedField(slug_field="number", read_only=True, allow_null=True)

    class Meta:
        model = Workplan
        fields = [
            "id",
            "year",
            "title",
            "summary",
            "working_group",
            "status",
            "proposal",
            "decision",
            "adopted_on",
        ]
        read_only_fields = ["status", "proposal", "decision", "adopted_on"]


class WorkplanWriteSerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    title = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    summary = serializers.CharField(required=False, allow_blank=True, default="")
    working_group = serializers.SlugField(required=False, allow_null=True)


class WorkplanUpdateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200, required=False, allow_blank=True)
    summary = serializers.CharField(required=False, allow_blank=True)


class SubmitSerializer(serializers.Serializer):
    procedure = serializers.ChoiceField(["meeting", "written"], default="meeting")
    deadline = serializers.DateTimeField(required=False, allow_null=True)


class ImportSerializer(serializers.Serializer):
    file = serializers.FileField()


class MemberViewSerializer(serializers.Serializer):
    organisation = serializers.CharField(
        source="organisation.acronym",
        required=False,
        help_text="The member organisation you speak for; needed only if you represent several.",
    )
    text = serializers.CharField(max_length=services.MAX_VIEW_LENGTH)
    author = serializers.EmailField(source="author.email", read_only=True, allow_null=True)
    updated_at = serializers.DateTimeField(read_only=True)


class MembersConsultationSerializer(serializers.Serializer):
    open = serializers.BooleanField()
    opened_at = serializers.DateTimeField(allow_null=True)
    views = MemberViewSerializer(many=True)
    pending = serializers.ListField(
        child=serializers.CharField(),
        allow_null=True,
        help_text="Member organisations without a view yet (for the Secretariat; null for others).",
    )


class WorkplanViewSet(NetworkScopedViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """Workplans of the network and its working groups; adoption goes through a decision."""

    serializer_class = WorkplanSerializer
    queryset = Workplan.objects.none()
    filterset_fields = ["year", "status"]
    read_check = staticmethod(perms.can_view_workplans)
    write_check = staticmethod(perms.can_view_workplans)

    def get_queryset(self):
        return Workplan.objects.filter(network=self.network).select_related("working_group", "decision")

    def get_object(self):
        return perms.get_workplan_for_user(self.request.user, self.network, self.kwargs["pk"])

    def _managed(self) -> Workplan:
        workplan = self.get_object()
        if not perms.can_manage_workplan(self.request.user, workplan):
            raise PermissionDenied("You do not coordinate this workplan.")
        return workplan

    @extend_schema(request=WorkplanWriteSerializer, responses={201: WorkplanSerializer})
    def create(self, request, network_slug):
        data = WorkplanWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        group, slug = None, values.pop("working_group", None)
        if slug:
            group = self.network.bodies.filter(slug=slug, kind=Body.Kind.WORKING_GROUP).first()
            if group is None:
                raise field_error("working_group", "No such working group in this network.")
        if not perms.can_manage_workplans(request.user, self.network, group):
            raise PermissionDenied("You do not coordinate this workplan.")
        workplan = services.create_workplan(
            by=request.user, network=self.network, working_group=group, **values
        )
        return Response(WorkplanSerializer(workplan).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=WorkplanUpdateSerializer, responses=WorkplanSerializer)
    def partial_update(self, request, network_slug, pk):
        workplan = self._managed()
        data = WorkplanUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.update_workplan(by=request.user, workplan=workplan, **data.validated_data)
        return Response(WorkplanSerializer(workplan).data)

    @extend_schema(request=SubmitSerializer, responses=WorkplanSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, network_slug, pk):
        """Put the workplan to the body the charter names; adopting that decision adopts it."""
        workplan = self._managed()
        data = SubmitSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.submit_workplan(by=request.user, workplan=workplan, **data.validated_data)
        return Response(WorkplanSerializer(workplan).data)

    def _consultation(self, workplan: Workplan) -> dict:
        if not queries.consults_members(workplan):
            raise field_error("workplan", "The charter does not ask for the members' views on this workplan.")
        consultation = queries.consultation(workplan)
        pending = consultation.pending if perms.can_consult_members(self.request.user, workplan) else None
        return MembersConsultationSerializer(
            {
                "open": workplan.consultation_open,
                "opened_at": workplan.consultation_opened_at,
                "views": consultation.views,
                "pending": [o.acronym for o in pending] if pending is not None else None,
            }
        ).data

    @extend_schema(request=None, responses=MembersConsultationSerializer)
    @action(detail=True, methods=["post"])
    def consult(self, request, network_slug, pk):
        """Ask the members for their views on the draft (e-mailed to their representatives)."""
        workplan = self.get_object()
        if not perms.can_consult_members(request.user, workplan):
            raise PermissionDenied("The Secretariat asks the members for their views.")
        services.open_consultation(by=request.user, workplan=workplan)
        return Response(self._consultation(workplan))

    @extend_schema(methods=["GET"], request=None, responses=MembersConsultationSerializer)
    @extend_schema(methods=["POST"], request=MemberViewSerializer, responses=MembersConsultationSerializer)
    @action(detail=True, methods=["get", "post"], url_path="views")
    def member_views(self, request, network_slug, pk):
        """The members' views on the draft; POST gives or changes your organisation's view."""
        workplan = self.get_object()
        if request.method == "POST":
            data = MemberViewSerializer(data=request.data)
            data.is_valid(raise_exception=True)
            mine = queries.organisations_of(request.user, workplan)
            acronym = data.validated_data.get("organisation", {}).get("acronym")
            if acronym:
                organisation = _organisation(acronym, self.network)
            elif len(mine) == 1:
                organisation = mine[0]
            else:
                raise field_error("organisation", "Name the member organisation you speak for.")
            if not perms.can_give_view(request.user, workplan, organisation):
                raise PermissionDenied("You do not represent this member organisation.")
            services.give_view(
                by=request.user,
                workplan=workplan,
                organisation=organisation,
                text=data.validated_data["text"],
            )
        return Response(self._consultation(workplan))

    @extend_schema(request=None, responses=WorkplanSerializer)
    @action(detail=True, methods=["post"])
    def review(self, request, network_slug, pk):
        workplan = self._managed()
        services.start_review(by=request.user, workplan=workplan)
        return Response(WorkplanSerializer(workplan).data)

    @extend_schema(request=None, responses=WorkplanSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, network_slug, pk):
        workplan = self._managed()
        services.close_workplan(by=request.user, workplan=workplan)
        return Response(WorkplanSerializer(workplan).data)

    @extend_schema(request={"multipart/form-data": ImportSerializer}, responses=WorkplanSerializer)
    @action(detail=True, methods=["post"], url_path="import", parser_classes=[MultiPartParser])
    def import_file(self, request, network_slug, pk):
        """All or nothing: 400 with every bad row and column, or the activities added and updated."""
        workplan = self._managed()
        data = ImportSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        upload = data.validated_data["file"]
        try:
            report = spreadsheet.import_file(
                by=request.user, workplan=workplan, name=upload.name, content=upload.read()
            )
        except spreadsheet.ImportRefused as exc:
            errors = [{"row": r, "column": c, "message": m} for r, c, m in exc.report.errors]
            return Response({"errors": errors}, status=status.HTTP_400_BAD_REQUEST)
        return Response({"created": report.created, "updated": report.updated})


class ActivityViewSet(NetworkScopedViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """Activities of the network's workplans (`?workplan=<id>`), with indicators and progress."""

    serializer_class = ActivitySerializer
    queryset = Activity.objects.none()
    filterset_fields = ["workplan", "status"]
    read_check = staticmethod(perms.can_view_workplans)
    write_check = staticmethod(perms.can_view_workplans)

    def get_queryset(self):
        return (
            Activity.objects.filter(workplan__network=self.network)
            .select_related("lead_organisation", "working_group")
            .prefetch_related("participants", "gcm_objectives", "guiding_principles", "sdg_targets")
        )

    def get_serializer_class(self):
        return ActivityDetailSerializer if self.action == "retrieve" else ActivitySerializer

    def get_object(self):
        activity = perms.get_activity_for_user(self.request.user, self.network, self.kwargs["pk"])
        if self.action == "retrieve":
            return (
                self.get_queryset().prefetch_related("indicators", Prefetch("progress")).get(pk=activity.pk)
            )
        return activity

    def _values(self, data: dict) -> dict:
        values = dict(data)
        values.pop("workplan", None)
        if "lead_organisation" in values:
            values["lead_organisation"] = _organisation(values["lead_organisation"], self.network)
        if "participants" in values:
            values["participants"] = [_organisation(a, self.network) for a in values["participants"]]
        if values.get("working_group"):
            values["working_group"] = self.network.bodies.filter(
                slug=values["working_group"], kind=Body.Kind.WORKING_GROUP
            ).first()
            if values["working_group"] is None:
                raise field_error("working_group", "No such working group in this network.")
        for name, model, key in (
            ("gcm_objectives", GcmObjective, "number"),
            ("guiding_principles", GuidingPrinciple, "key"),
            ("sdg_targets", SdgTarget, "code"),
        ):
            if name in values:
                wanted = set(values[name])
                found = list(model.objects.filter(**{f"{key}__in": wanted}))
                if missing := wanted - {getattr(o, key) for o in found}:
                    raise field_error(
                        name, f"Not in the reference list: {', '.join(map(str, sorted(missing)))}"
                    )
                values[name] = found
        return values

    @extend_schema(request=ActivityWriteSerializer, responses={201: ActivitySerializer})
    def create(self, request, network_slug):
        data = ActivityWriteSerializer(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        workplan = data.validated_data.get("workplan")
        if workplan is None:
            raise field_error("workplan", _("Say which workplan the activity belongs to."))
        workplan.network = self.network
        if not perms.can_manage_workplan(request.user, workplan):
            raise PermissionDenied("You do not coordinate this workplan.")
        activity = services.add_activity(
            by=request.user, workplan=workplan, **self._values(data.validated_data)
        )
        return Response(ActivitySerializer(activity).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ActivityWriteSerializer, responses=ActivitySerializer)
    def partial_update(self, request, network_slug, pk):
        activity = self.get_object()
        if not perms.can_manage_workplan(request.user, activity.workplan):
            raise PermissionDenied("You do not coordinate this workplan.")
        data = ActivityWriteSerializer(data=request.data, partial=True, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        values = {k: v for k, v in self._values(data.validated_data).items() if k in request.data}
        services.update_activity(by=request.user, activity=activity, **values)
        return Response(ActivitySerializer(self.get_queryset().get(pk=activity.pk)).data)

    @extend_schema(request=None, responses={204: None})
    def destroy(self, request, network_slug, pk):
        activity = self.get_object()
        if not perms.can_manage_workplan(request.user, activity.workplan):
            raise PermissionDenied("You do not coordinate this workplan.")
        services.remove_activity(by=request.user, activity=activity)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=ActivityProgressSerializer, responses=ActivityProgressSerializer)
    @action(detail=True, methods=["post"])
    def progress(self, request, network_slug, pk):
        """This quarter's progress, by the lead organisation (one per quarter; again replaces it)."""
        activity = self.get_object()
        if not perms.can_report_progress(request.user, activity):
            raise PermissionDenied("The lead organisation reports progress.")
        data = ActivityProgressSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        update = services.report_progress(by=request.user, activity=activity, **data.validated_data)
        return Response(ActivityProgressSerializer(update).data)

    @extend_schema(request=IndicatorSerializer, responses={201: IndicatorSerializer})
    @action(detail=True, methods=["post"])
    def indicators(self, request, network_slug, pk):
        activity = self.get_object()
        if not perms.can_report_progress(request.user, activity):
            raise PermissionDenied("The lead organisation keeps the indicators.")
        data = IndicatorSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        indicator = services.add_indicator(by=request.user, activity=activity, **data.validated_data)
        return Response(IndicatorSerializer(indicator).data, status=status.HTTP_201_CREATED)
