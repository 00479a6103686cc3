"""The networks part of the REST API: the same services and permission functions as the pages."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response

from convene.core.audit import audit_source
from convene.core.models import ChangeLog

from . import monitoring, services
from . import permissions as perms
from .filters import (
    BodyFilterSet,
    ChangeLogFilterSet,
    MembershipFilterSet,
    OrganisationFilterSet,
    RepresentativeFilterSet,
)
from .models import Body, Membership, Network, Organisation, Representative, Rule
from .queries import load_structure

# Serializers -----------------------------------------------------------------------------------


class NetworkObjectField(serializers.PrimaryKeyRelatedField):
    """The id of an object of the request's network (`network` in the serializer context). Anything
    else (0, another network's id, text, a list, a number no database holds) is a 400 saying what is
    wrong, before any service runs."""

    default_error_messages = {
        "does_not_exist": _("No such {what} in this network."),
        "incorrect_type": _("Give the id of a {what}: a whole number."),
    }

    def __init__(self, model, *, scope, what, **kwargs):
        self.scope, self.what = scope, what
        # The model's empty queryset documents the id's type; the network's objects are read per request.
        super().__init__(queryset=model.objects.none(), pk_field=serializers.IntegerField(), **kwargs)

    def get_queryset(self):
        return self.scope(self.context["network"])

    def to_internal_value(self, data):
        try:
            pk = self.pk_field.to_internal_value(data)
        except serializers.ValidationError:
            self.fail("incorrect_type", what=self.what)
        # An id beyond the database's integers matches nothing (Django does not send it).
        obj = self.get_queryset().filter(pk=pk).first()
        if obj is None:
            self.fail("does_not_exist", what=self.what)
        return obj


class LocalisedField(serializers.CharField):
    """A text in the request's language (Accept-Language, or the signed-in person's saved language;
    the response's Content-Language names it), beside the stored field it translates."""

    def __init__(self, field: str, source: str = "*", **kwargs):
        self.field = field
        super().__init__(source=source, read_only=True, **kwargs)

    def to_representation(self, obj) -> str:
        return obj.localised(self.field)


class OrganisationSerializer(serializers.ModelSerializer):
    name_localised = LocalisedField("name", help_text="The name in the language of the request.")

    class Meta:
        model = Organisation
        fields = [
            "id",
            "acronym",
            "name",
            "name_localised",
            "kind",
            "un_category",
            "country",
            "website",
            "aliases",
        ]
        read_only_fields = ["id", "un_category", "aliases"]
        # Uniqueness is the service's to check (case-insensitive, with a clear message).
        validators = []


class NetworkSerializer(serializers.ModelSerializer):
    your_role = serializers.SerializerMethodField()
    name_localised = LocalisedField("name", help_text="The name in the language of the request.")
    short_name_localised = LocalisedField("short_name", help_text="In the language of the request.")
    mission_localised = LocalisedField("mission", help_text="In the language of the request.")

    class Meta:
        model = Network
        fields = [
            "slug",
            "name",
            "name_localised",
            "short_name",
            "short_name_localised",
            "country",
            "timezone",
            "language",
            "mission",
            "mission_localised",
            "charter_title",
            "charter_version",
            "members_list_shared_at",
            "your_role",
        ]

    def get_your_role(self, network) -> str:
        return str(perms.access_for(self.context["request"].user, network).role_label)


class BodySerializer(serializers.ModelSerializer):
    escalates_to = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    name_localised = LocalisedField("name", help_text="The name in the language of the request.")
    focus_localised = LocalisedField("focus", help_text="In the language of the request.")
    mandate_localised = LocalisedField("mandate", help_text="In the language of the request.")

    class Meta:
        model = Body
        fields = [
            "slug",
            "name",
            "name_localised",
            "kind",
            "permanence",
            "focus",
            "focus_localised",
            "mandate",
            "mandate_localised",
            "participation_level",
            "decision_method",
            "escalates_to",
            "co_chair_term_months",
            "external_partners_allowed",
            "established_on",
            "abolished_on",
        ]
        read_only_fields = ["slug", "kind", "mandate", "decision_method", "abolished_on"]


class WorkingGroupWriteSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    focus = serializers.CharField(required=False, allow_blank=True, default="")
    permanence = serializers.ChoiceField(Body.Permanence.choices, default=Body.Permanence.PERMANENT)
    external_partners_allowed = serializers.BooleanField(default=True)
    co_chair_term_months = serializers.IntegerField(
        min_value=1, max_value=60, required=False, allow_null=True
    )
    participation_level = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    established_on = serializers.DateField(required=False, allow_null=True)


class DateSerializer(serializers.Serializer):
    date = serializers.DateField(required=False, allow_null=True)


class CoChairsSerializer(serializers.Serializer):
    organisations = serializers.ListField(
        child=serializers.CharField(),
        min_length=1,
        max_length=3,
        help_text="Acronyms of member organisations of the group.",
    )
    start_date = serializers.DateField(required=False, allow_null=True)
    end_date = serializers.DateField(required=False, allow_null=True)


class MembershipSerializer(serializers.ModelSerializer):
    body = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    organisation = serializers.SlugRelatedField(slug_field="acronym", read_only=True)
    decided_by = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)

    class Meta:
        model = Membership
        fields = [
            "id",
            "body",
            "organisation",
            "role",
            "status",
            "start_date",
            "end_date",
            "note",
            "applied_on",
            "decided_on",
            "decided_by",
            "decision_note",
        ]
        read_only_fields = fields


class MembershipCreateSerializer(serializers.Serializer):
    body = serializers.SlugField()
    organisation = serializers.CharField(help_text="Registry acronym, e.g. UNFPA.")
    role = serializers.ChoiceField(Membership.Role.choices, default=Membership.Role.MEMBER)
    start_date = serializers.DateField(required=False, allow_null=True)
    end_date = serializers.DateField(required=False, allow_null=True)
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class MembershipUpdateSerializer(serializers.Serializer):
    start_date = serializers.DateField(required=False, allow_null=True)
    end_date = serializers.DateField(required=False, allow_null=True)
    note = serializers.CharField(max_length=300, required=False, allow_blank=True)


class ApplicationSerializer(serializers.Serializer):
    organisation = serializers.CharField(help_text="Registry acronym of the applicant.")
    applied_on = serializers.DateField(required=False, allow_null=True)
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class DecisionSerializer(serializers.Serializer):
    approve = serializers.BooleanField()
    decided_on = serializers.DateField(required=False, allow_null=True)
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class PersonSerializer(serializers.Serializer):
    email = serializers.EmailField()
    full_name = serializers.CharField()
    job_title = serializers.CharField()
    phone = serializers.CharField()


class RepresentativeSerializer(serializers.ModelSerializer):
    membership = serializers.PrimaryKeyRelatedField(read_only=True)
    body = serializers.CharField(source="membership.body.slug", read_only=True)
    organisation = serializers.CharField(source="membership.organisation.acronym", read_only=True)
    person = PersonSerializer(read_only=True)

    class Meta:
        model = Representative
        fields = [
            "id",
            "membership",
            "body",
            "organisation",
            "person",
            "kind",
            "participation_level",
            "start_date",
            "end_date",
        ]
        read_only_fields = ["id"]


class RepresentativeCreateSerializer(serializers.Serializer):
    membership = NetworkObjectField(
        Membership,
        scope=lambda network: Membership.objects.filter(body__network=network),
        what=_("membership"),
        help_text="Id of an active membership in this network.",
    )
    email = serializers.EmailField()
    full_name = serializers.CharField(max_length=150, required=False, allow_blank=True, default="")
    job_title = serializers.CharField(max_length=150, required=False, allow_blank=True, default="")
    phone = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")
    kind = serializers.ChoiceField(Representative.Kind.choices, default=Representative.Kind.PRINCIPAL)
    participation_level = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    start_date = serializers.DateField(required=False, allow_null=True)
    end_date = serializers.DateField(required=False, allow_null=True)


class RepresentativeUpdateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(Representative.Kind.choices, required=False)
    participation_level = serializers.CharField(max_length=200, required=False, allow_blank=True)
    start_date = serializers.DateField(required=False, allow_null=True)
    end_date = serializers.DateField(required=False, allow_null=True)


class RuleStatusSerializer(serializers.Serializer):
    key = serializers.CharField(source="rule.key")
    kind = serializers.CharField(source="rule.kind")
    title = serializers.CharField(source="rule.title")
    title_localised = LocalisedField("title", source="rule", help_text="In the language of the request.")
    text = serializers.CharField(source="rule.text")
    text_localised = LocalisedField("text", source="rule", help_text="In the language of the request.")
    body = serializers.SerializerMethodField()
    authority = serializers.SerializerMethodField()
    params = serializers.JSONField(source="rule.params")
    status = serializers.CharField()
    detail = serializers.CharField()
    own_targets = serializers.ListField(
        child=serializers.CharField(), read_only=True, help_text="Targets the network set itself."
    )

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_body(self, s):
        return s.rule.body.slug if s.rule.body else None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_authority(self, s):
        return s.rule.authority.slug if s.rule.authority else None


class ChangeLogSerializer(serializers.ModelSerializer):
    actor = serializers.SlugRelatedField(slug_field="email", read_only=True, allow_null=True)
    model = serializers.CharField(source="content_type.model", read_only=True)

    class Meta:
        model = ChangeLog
        fields = [
            "id",
            "timestamp",
            "actor",
            "action",
            "source",
            "model",
            "object_id",
            "object_repr",
            "changes",
        ]


# Views -----------------------------------------------------------------------------------------


class AuditedAPIMixin:
    """Changes made through the API are marked as such in the audit log."""

    def dispatch(self, request, *args, **kwargs):
        with audit_source(ChangeLog.Source.API):
            return super().dispatch(request, *args, **kwargs)


class NetworkScopedViewSet(AuditedAPIMixin, viewsets.GenericViewSet):
    """Every resource below /networks/{slug}/: load the network, then ask the permission functions."""

    read_check = staticmethod(perms.can_view_network)
    write_check = staticmethod(perms.can_manage_network)
    # Ids are numbers: anything else in the path is a 404 before any lookup.
    lookup_value_regex = r"\d+"

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        network = Network.objects.filter(slug=kwargs.get("network_slug")).first()
        if network is None or not perms.access_for(request.user, network).is_participant:
            raise NotFound("There is no such network that you can see.")
        self.network = request.network = network
        check = self.read_check if request.method in ("GET", "HEAD", "OPTIONS") else self.write_check
        if not check(request.user, network):
            raise PermissionDenied("You do not have permission for this in this network.")
        timezone.activate(network.zone)

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "network": getattr(self, "network", None)}

    def finalize_response(self, request, response, *args, **kwargs):
        timezone.deactivate()
        return super().finalize_response(request, response, *args, **kwargs)


class NetworkViewSet(AuditedAPIMixin, viewsets.ReadOnlyModelViewSet):
    """The networks you hold a seat in."""

    serializer_class = NetworkSerializer
    lookup_field = "slug"
    lookup_value_regex = r"[-a-z0-9]+"

    def get_queryset(self):
        return perms.networks_for(self.request.user).order_by("name")


class OrganisationViewSet(AuditedAPIMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """The shared registry of organisations."""

    serializer_class = OrganisationSerializer
    filterset_class = OrganisationFilterSet
    queryset = Organisation.objects.order_by("acronym")
    lookup_value_regex = r"\d+"

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        allowed = perms.can_view_registry if request.method == "GET" else perms.can_add_organisation
        if not allowed(request.user):
            raise PermissionDenied("Only members read, and only a Secretariat adds to, the registry.")

    def perform_create(self, serializer):
        serializer.instance = services.create_organisation(by=self.request.user, **serializer.validated_data)


def field_error(field: str, message: str) -> serializers.ValidationError:
    """A 400 that names the field and says what is wrong with it."""
    return serializers.ValidationError({field: [message]})


def _organisation(acronym: str, network: Network) -> Organisation:
    """A registry entry by acronym: international, or national of the network's country."""
    org = Organisation.objects.filter(acronym__iexact=acronym, country__in=["", network.country]).first()
    if org is None:
        raise serializers.ValidationError({"organisation": [f"No organisation {acronym!r} in the registry."]})
    return org


class BodyViewSet(NetworkScopedViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """Bodies of a network. Working groups are established, changed and abolished here."""

    serializer_class = BodySerializer
    filterset_class = BodyFilterSet
    queryset = Body.objects.none()  # the network's, in get_queryset; this names the model
    lookup_field = "slug"
    lookup_value_regex = r"[-\w]+"

    def get_queryset(self):
        return self.network.bodies.select_related("escalates_to")

    def get_object(self):
        body = super().get_object()
        if not perms.can_view_body(self.request.user, body):
            raise NotFound()
        return body

    @extend_schema(request=WorkingGroupWriteSerializer, responses={201: BodySerializer})
    def create(self, request, network_slug):
        data = WorkingGroupWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        body = services.establish_working_group(by=request.user, network=self.network, **data.validated_data)
        return Response(BodySerializer(body).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=WorkingGroupWriteSerializer, responses=BodySerializer)
    def partial_update(self, request, network_slug, slug):
        body = self.get_object()
        data = WorkingGroupWriteSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        fields = {k: v for k, v in data.validated_data.items() if k in request.data}
        fields.pop("established_on", None)
        services.update_working_group(by=request.user, body=body, **fields)
        return Response(BodySerializer(body).data)

    @extend_schema(request=DateSerializer, responses=BodySerializer)
    @action(detail=True, methods=["post"])
    def abolish(self, request, network_slug, slug):
        body = self.get_object()
        data = DateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.abolish_working_group(
            by=request.user, body=body, abolished_on=data.validated_data.get("date")
        )
        return Response(BodySerializer(body).data)

    @extend_schema(request=CoChairsSerializer, responses=MembershipSerializer(many=True))
    @action(detail=True, methods=["post"], url_path="co-chairs")
    def co_chairs(self, request, network_slug, slug):
        body = self.get_object()
        data = CoChairsSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        orgs = [_organisation(a, self.network) for a in data.validated_data["organisations"]]
        made = services.set_co_chairs(
            by=request.user,
            body=body,
            organisations=orgs,
            start_date=data.validated_data.get("start_date"),
            end_date=data.validated_data.get("end_date"),
        )
        return Response(MembershipSerializer(made, many=True).data)


class MembershipViewSet(NetworkScopedViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """Organisations in bodies, with their roles; applications to join and their decisions."""

    serializer_class = MembershipSerializer
    filterset_class = MembershipFilterSet
    queryset = Membership.objects.none()

    def get_queryset(self):
        return (
            Membership.objects.filter(body__network=self.network)
            .select_related("body", "organisation", "decided_by")
            .order_by("body__order", "organisation__acronym", "pk")
        )

    @extend_schema(request=MembershipCreateSerializer, responses={201: MembershipSerializer})
    def create(self, request, network_slug):
        data = MembershipCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        body = self.network.bodies.filter(slug=values.pop("body")).first()
        if body is None:
            raise serializers.ValidationError({"body": ["No such body in this network."]})
        values["organisation"] = _organisation(values["organisation"], self.network)
        membership = services.add_membership(by=request.user, body=body, **values)
        return Response(MembershipSerializer(membership).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=MembershipUpdateSerializer, responses=MembershipSerializer)
    def partial_update(self, request, network_slug, pk):
        membership = self.get_object()
        data = MembershipUpdateSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        services.update_membership(by=request.user, membership=membership, **data.validated_data)
        return Response(MembershipSerializer(membership).data)

    @extend_schema(request=DateSerializer, responses=MembershipSerializer)
    @action(detail=True, methods=["post"])
    def end(self, request, network_slug, pk):
        membership = self.get_object()
        data = DateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.end_membership(
            by=request.user, membership=membership, end_date=data.validated_data.get("date")
        )
        return Response(MembershipSerializer(membership).data)

    @extend_schema(request=ApplicationSerializer, responses={201: MembershipSerializer})
    @action(detail=False, methods=["post"])
    def apply(self, request, network_slug):
        data = ApplicationSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        values["organisation"] = _organisation(values["organisation"], self.network)
        membership = services.apply_for_membership(by=request.user, network=self.network, **values)
        return Response(MembershipSerializer(membership).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=DecisionSerializer, responses=MembershipSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request, network_slug, pk):
        membership = self.get_object()
        data = DecisionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.decide_membership_application(by=request.user, membership=membership, **data.validated_data)
        return Response(MembershipSerializer(membership).data)


class RepresentativeViewSet(
    NetworkScopedViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.DestroyModelMixin
):
    """People designated by member organisations, principal or alternate."""

    serializer_class = RepresentativeSerializer
    filterset_class = RepresentativeFilterSet
    queryset = Representative.objects.none()

    def get_queryset(self):
        return (
            Representative.objects.filter(membership__body__network=self.network)
            .select_related("person", "membership__body", "membership__organisation")
            .order_by("membership__body__order", "pk")
        )

    @extend_schema(request=RepresentativeCreateSerializer, responses={201: RepresentativeSerializer})
    def create(self, request, network_slug):
        data = RepresentativeCreateSerializer(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        membership = values.pop("membership")
        rep = services.designate_representative(by=request.user, membership=membership, **values)
        return Response(RepresentativeSerializer(rep).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=RepresentativeUpdateSerializer, responses=RepresentativeSerializer)
    def partial_update(self, request, network_slug, pk):
        rep = self.get_object()
        data = RepresentativeUpdateSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        services.update_representative(by=request.user, representative=rep, **data.validated_data)
        return Response(RepresentativeSerializer(rep).data)

    def perform_destroy(self, instance):
        services.remove_representative(by=self.request.user, representative=instance)


class RuleViewSet(NetworkScopedViewSet, mixins.ListModelMixin):
    """The charter's rules and, for each, whether it is met, due or missed."""

    serializer_class = RuleStatusSerializer
    queryset = Rule.objects.none()
    pagination_class = None

    def list(self, request, network_slug):
        rules = self.network.rules.select_related("body", "authority")
        statuses = monitoring.evaluate(rules, load_structure(self.network))
        return Response(RuleStatusSerializer(statuses, many=True).data)


class ChangeLogViewSet(NetworkScopedViewSet, mixins.ListModelMixin):
    """The network's audit trail (Secretariat)."""

    serializer_class = ChangeLogSerializer
    filterset_class = ChangeLogFilterSet
    queryset = ChangeLog.objects.none()
    read_check = staticmethod(perms.can_view_audit_log)

    def get_queryset(self):
        return ChangeLog.objects.filter(network_id=self.network.pk).select_related("actor", "content_type")
