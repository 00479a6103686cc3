"""Decisions in the REST API: proposals and their procedure, the register, action items and the
monitoring summary, through the same services and permission functions as the pages."""

import django_filters
from django.db import transaction
from django.db.models import Prefetch
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response

from convene.accounts.models import User
from convene.meetings.models import Meeting, MinutesItem
from convene.networks.api import (
    AuditedAPIMixin,
    NetworkObjectField,
    NetworkScopedViewSet,
    _organisation,
    field_error,
)
from convene.networks.models import Body, Membership

from . import monitoring, panels, rules, services
from . import permissions as perms
from .filters import ActionItemFilterSet, DecisionFilterSet
from .models import ActionItem, ActionUpdate, Consultation, Decision, Escalation, Position, Proposal

# Serializers -----------------------------------------------------------------------------------


class PositionSerializer(serializers.ModelSerializer):
    organisation = serializers.CharField(source="organisation.acronym")
    recorded_by = serializers.SlugRelatedField(slug_field="email", read_only=True, allow_null=True)

    class Meta:
        model = Position
        fields = ["organisation", "stance", "reason", "channel", "recorded_by", "updated_at"]


class ConsultationSerializer(serializers.ModelSerializer):
    organisation = serializers.SlugRelatedField(slug_field="acronym", read_only=True, allow_null=True)
    rule = serializers.SlugRelatedField(slug_field="key", read_only=True, allow_null=True)

    class Meta:
        model = Consultation
        fields = [
            "id",
            "title",
            "organisation",
            "rule",
            "required",
            "status",
            "consulted_on",
            "consulted",
            "outcome",
        ]
        read_only_fields = fields


class EscalationSerializer(serializers.ModelSerializer):
    to_body = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = Escalation
        fields = [
            "id", "to_body", "tabled_on", "unct_meeting", "unct_meeting_note", "outcome", "decided_on",
            "unct_decision",
        ]  # fmt: skip


class ProposalSerializer(serializers.ModelSerializer):
    body = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    working_group = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    proposed_by = serializers.SlugRelatedField(slug_field="email", read_only=True, allow_null=True)
    decision = serializers.SerializerMethodField()

    class Meta:
        model = Proposal
        fields = [
            "id", "kind", "title", "text", "rationale", "topic", "body", "procedure", "meeting", "deadline",
            "membership", "working_group", "payload", "status", "proposed_by", "created_at", "closed_at",
            "outcome_note", "decision", "concerns_state",
        ]  # fmt: skip

    def get_decision(self, proposal) -> str | None:
        decision = getattr(proposal, "decision", None) if proposal.status == Proposal.Status.ADOPTED else None
        return decision.number if decision else None


class ProposalDetailSerializer(ProposalSerializer):
    positions = serializers.SerializerMethodField()
    waiting = serializers.SerializerMethodField()
    consultations = ConsultationSerializer(many=True, read_only=True)
    escalations = EscalationSerializer(many=True, read_only=True)

    class Meta(ProposalSerializer.Meta):
        fields = [*ProposalSerializer.Meta.fields, "positions", "waiting", "consultations", "escalations"]

    def _tally(self, proposal):
        if not hasattr(proposal, "_tally"):
            proposal._tally = services.tally(proposal)
        return proposal._tally

    def get_positions(self, proposal) -> list[dict]:
        return PositionSerializer(
            [s["position"] for s in self._tally(proposal)["seats"] if s["position"]], many=True
        ).data

    def get_waiting(self, proposal) -> list[str]:
        return [o.acronym for o in self._tally(proposal)["waiting"]]


class ProposalWriteSerializer(serializers.Serializer):
    body = serializers.SlugField(required=False, help_text="Blank: the body the charter names for the kind.")
    kind = serializers.ChoiceField(Proposal.Kind.choices, default=Proposal.Kind.GENERAL)
    title = serializers.CharField(max_length=300)
    text = serializers.CharField()
    rationale = serializers.CharField(required=False, allow_blank=True, default="")
    topic = serializers.CharField(max_length=80, required=False, allow_blank=True, default="")
    procedure = serializers.ChoiceField(Proposal.Procedure.choices, default=Proposal.Procedure.MEETING)
    meeting = NetworkObjectField(
        Meeting,
        scope=lambda network: Meeting.objects.filter(network=network),
        what=_("meeting"),
        required=False,
        allow_null=True,
    )
    deadline = serializers.DateTimeField(required=False, allow_null=True)
    membership = NetworkObjectField(
        Membership,
        scope=lambda network: Membership.objects.filter(body__network=network),
        what=_("application"),
        required=False,
        allow_null=True,
        help_text="An application's id.",
    )
    working_group = serializers.SlugField(required=False, allow_null=True)
    payload = serializers.DictField(
        required=False,
        default=dict,
        help_text="What a charter decision changes: a working group's fields, or co-chairs by acronym.",
    )
    consultations = serializers.ListField(child=serializers.SlugField(), required=False, default=list)
    concerns_state = serializers.BooleanField(
        required=False,
        allow_null=True,
        default=None,
        help_text="Does this concern the state? Required where the charter makes consulting a ministry "
        "on state matters mandatory (Kazakhstan); true opens that consultation.",
    )
    amends = serializers.CharField(required=False, allow_null=True, help_text="A decision number.")
    supersedes = serializers.CharField(required=False, allow_null=True, help_text="A decision number.")


class WorkingGroupPayloadSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    focus = serializers.CharField(required=False, allow_blank=True)
    permanence = serializers.ChoiceField(Body.Permanence.choices, required=False, allow_blank=True)
    external_partners_allowed = serializers.BooleanField(required=False)
    co_chair_term_months = serializers.IntegerField(
        min_value=1, max_value=60, required=False, allow_null=True
    )


class CoChairsPayloadSerializer(serializers.Serializer):
    organisations = serializers.ListField(
        child=serializers.CharField(), min_length=1, max_length=3, help_text="Acronyms."
    )
    start_date = serializers.DateField(required=False, allow_null=True)


WORKING_GROUP_KINDS = (Proposal.Kind.ESTABLISH_WORKING_GROUP, Proposal.Kind.CHANGE_WORKING_GROUP)


class PositionWriteSerializer(serializers.Serializer):
    organisation = serializers.CharField(help_text="Acronym of a member of the deciding body.")
    stance = serializers.ChoiceField(Position.Stance.choices)
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    channel = serializers.ChoiceField(Position.Channel.choices, required=False)


class ProposalReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500)
    deadline = serializers.DateTimeField(required=False, allow_null=True)


class ConsultationWriteSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    organisation = serializers.CharField(required=False, allow_null=True)
    required = serializers.BooleanField(default=True)


class ConsultationRecordSerializer(serializers.Serializer):
    consulted_on = serializers.DateField()
    consulted = serializers.CharField(max_length=200)
    outcome = serializers.CharField()


class EscalationWriteSerializer(serializers.Serializer):
    tabled_on = serializers.DateField(required=False)
    unct_meeting = NetworkObjectField(
        Meeting,
        scope=lambda network: Meeting.objects.filter(network=network, body__kind=Body.Kind.UNCT).exclude(
            status=Meeting.Status.CANCELLED
        ),
        what=_("UNCT meeting"),
        required=False,
        allow_null=True,
    )
    unct_meeting_note = serializers.CharField(max_length=200, required=False, allow_blank=True)
    outcome = serializers.ChoiceField(["adopted", "not_adopted"], required=False)
    decided_on = serializers.DateField(required=False)
    unct_decision = serializers.CharField(required=False, allow_blank=True, default="")

    def validate(self, data):
        if data.get("outcome") and not data.get("decided_on"):
            raise serializers.ValidationError({"decided_on": ["When did the UNCT decide?"]})
        return data


class DecisionSerializer(serializers.ModelSerializer):
    body = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    amends = serializers.SlugRelatedField(slug_field="number", read_only=True, allow_null=True)
    supersedes = serializers.SlugRelatedField(slug_field="number", read_only=True, allow_null=True)
    amended_by = serializers.SlugRelatedField(slug_field="number", many=True, read_only=True)
    superseded_by = serializers.SlugRelatedField(slug_field="number", many=True, read_only=True)

    class Meta:
        model = Decision
        fields = [
            "id", "number", "year", "title", "text", "topic", "body", "adopted_at", "adopted_by", "meeting",
            "proposal", "amends", "supersedes", "amended_by", "superseded_by", "reference", "evidence",
        ]  # fmt: skip


class ActionUpdateSerializer(serializers.ModelSerializer):
    author = serializers.SlugRelatedField(slug_field="email", read_only=True, allow_null=True)

    class Meta:
        model = ActionUpdate
        fields = ["id", "text", "status", "is_comment", "author", "created_at"]


class ActionItemSerializer(serializers.ModelSerializer):
    owner_organisation = serializers.SlugRelatedField(slug_field="acronym", read_only=True)
    owner = serializers.SlugRelatedField(slug_field="email", read_only=True, allow_null=True)
    decision = serializers.SlugRelatedField(slug_field="number", read_only=True, allow_null=True)

    class Meta:
        model = ActionItem
        fields = [
            "id", "title", "description", "owner_organisation", "owner", "due_date", "status", "completed_on",
            "decision", "minutes_item", "meeting",
        ]  # fmt: skip


class ActionItemDetailSerializer(ActionItemSerializer):
    updates = ActionUpdateSerializer(many=True, read_only=True)

    class Meta(ActionItemSerializer.Meta):
        fields = [*ActionItemSerializer.Meta.fields, "updates"]


class ActionItemWriteSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=300)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    owner_organisation = serializers.CharField(help_text="Acronym.")
    owner = serializers.EmailField(required=False, allow_null=True)
    due_date = serializers.DateField()
    decision = serializers.CharField(required=False, allow_null=True, help_text="A decision number.")
    minutes_item = NetworkObjectField(
        MinutesItem,
        scope=lambda network: MinutesItem.objects.filter(minutes__meeting__network=network),
        what=_("minutes item"),
        required=False,
        allow_null=True,
    )


class ProgressSerializer(serializers.Serializer):
    text = serializers.CharField()
    status = serializers.ChoiceField(ActionItem.Status.choices, required=False, allow_blank=True, default="")


class CommentSerializer(serializers.Serializer):
    text = serializers.CharField()


def _invalid_payload(errors: dict):
    return serializers.ValidationError(
        {"payload": [f"{k}: {' '.join(map(str, v))}" for k, v in errors.items()]}
    )


def _resolve_subject(network, values: dict) -> None:
    """The application or working group a charter decision is about, looked up in this network."""
    if values.get("membership") and not isinstance(values["membership"], Membership):
        values["membership"] = Membership.objects.filter(
            body__network=network, pk=values["membership"]
        ).first()
        if values["membership"] is None:
            raise field_error("membership", "No such application in this network.")
    if values.get("working_group"):
        values["working_group"] = network.bodies.filter(
            slug=values["working_group"], kind=Body.Kind.WORKING_GROUP
        ).first()
        if values["working_group"] is None:
            raise field_error("working_group", "No such working group in this network.")


def _payload(network, kind: str, payload: dict) -> dict:
    """The service reads the payload as the page's form builds it; check its shape here, so a
    malformed one is a 400 rather than an error in the service."""
    if kind in WORKING_GROUP_KINDS:
        data = WorkingGroupPayloadSerializer(data=payload, partial=True)
        if not data.is_valid():
            raise _invalid_payload(data.errors)
        # Unknown keys stay, for the service to refuse with its own reason.
        return {**payload, **data.validated_data}
    if kind == Proposal.Kind.SELECT_CO_CHAIRS:
        data = CoChairsPayloadSerializer(data=payload)
        if not data.is_valid():
            raise _invalid_payload(data.errors)
        values = data.validated_data
        organisations = [_organisation(a, network).pk for a in values["organisations"]]
        start = values.get("start_date")
        return {"organisations": organisations} | ({"start_date": start.isoformat()} if start else {})
    return payload


class RecordedDecisionWriteSerializer(serializers.Serializer):
    kind = serializers.ChoiceField([(k, Proposal.Kind(k).label) for k in services.RECORDED_TITLES])
    decided_on = serializers.DateField()
    reference = serializers.CharField(
        max_length=100, help_text="The decision's number or minute at that body."
    )
    evidence = serializers.CharField(max_length=500, help_text="Where it is written: a note or a link.")
    text = serializers.CharField(required=False, allow_blank=True, default="")
    membership = serializers.IntegerField(required=False, allow_null=True, help_text="An application's id.")
    approve = serializers.BooleanField(default=True, help_text="For an application: admitted or rejected.")
    working_group = serializers.SlugField(required=False, allow_null=True)
    payload = serializers.DictField(
        required=False, default=dict, help_text="As for a proposal: a working group's fields, or co-chairs."
    )


class ProposalFilterSet(django_filters.FilterSet):
    body = django_filters.CharFilter(field_name="body__slug", label="Body")

    class Meta:
        model = Proposal
        fields = ["status", "kind", "procedure", "body"]


# Proposals -------------------------------------------------------------------------------------


class ProposalViewSet(NetworkScopedViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """Proposals put to a deciding body; positions, consultations, closing and escalation."""

    serializer_class = ProposalSerializer
    filterset_class = ProposalFilterSet
    queryset = Proposal.objects.none()  # the network's, in get_queryset; this names the model
    read_check = staticmethod(perms.can_view_decisions)
    write_check = staticmethod(perms.can_view_decisions)  # each action asks its own question below

    def get_queryset(self):
        return Proposal.objects.filter(network=self.network).select_related(
            "body", "working_group", "proposed_by", "decision"
        )

    def get_serializer_class(self):
        return ProposalDetailSerializer if self.action == "retrieve" else ProposalSerializer

    def _with_detail(self, pk: int) -> Proposal:
        proposal = (
            self.get_queryset()
            .prefetch_related(
                Prefetch(
                    "consultations", queryset=Consultation.objects.select_related("organisation", "rule")
                ),
                Prefetch("escalations", queryset=Escalation.objects.select_related("to_body")),
            )
            .get(pk=pk)
        )
        proposal.network = self.network
        return proposal

    def get_object(self):
        proposal = perms.get_proposal_for_user(self.request.user, self.network, self.kwargs["pk"])
        return self._with_detail(proposal.pk) if self.action == "retrieve" else proposal

    def _procedure(self) -> Proposal:
        proposal = self.get_object()
        if not perms.can_run_procedure(self.request.user, self.network):
            raise PermissionDenied("Only the Secretariat runs the decision procedure.")
        return proposal

    def _decision(self, number, field: str):
        if not number:
            return None
        decision = Decision.objects.filter(network=self.network, number__iexact=number).first()
        if decision is None:
            raise field_error(field, f"No decision {number} in this network.")
        return decision

    def _detail(self, proposal, code=status.HTTP_200_OK):
        return Response(ProposalDetailSerializer(self._with_detail(proposal.pk)).data, status=code)

    @extend_schema(request=ProposalWriteSerializer, responses={201: ProposalDetailSerializer})
    def create(self, request, network_slug):
        if not perms.can_propose(request.user, self.network):
            raise PermissionDenied("Only the Secretariat and members of a deciding body make proposals.")
        data = ProposalWriteSerializer(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        slug = values.pop("body", None)
        body = (
            self.network.bodies.filter(slug=slug).first()
            if slug
            else rules.deciding_body_for(self.network, values["kind"])
        )
        if body is None:
            raise field_error("body", "No such body in this network.")
        _resolve_subject(self.network, values)
        keys = values.pop("consultations")
        found = {r.key: r for r in rules.consultation_rules(self.network) if r.key in keys}
        if unknown := sorted(set(keys) - set(found)):
            raise field_error("consultations", f"No consultation rule {', '.join(unknown)} in this charter.")
        values["consultations"] = list(found.values())
        values["amends"] = self._decision(values.get("amends"), "amends")
        values["supersedes"] = self._decision(values.get("supersedes"), "supersedes")
        values["payload"] = _payload(self.network, values["kind"], values["payload"])
        proposal = services.propose(by=request.user, network=self.network, body=body, **values)
        return self._detail(proposal, status.HTTP_201_CREATED)

    @extend_schema(request=PositionWriteSerializer, responses=ProposalDetailSerializer)
    @action(detail=True, methods=["post"])
    def position(self, request, network_slug, pk):
        """A representative speaks for their organisation; the Secretariat records one given in a
        meeting or by e-mail on an organisation's behalf."""
        proposal = self.get_object()
        data = PositionWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        organisation = _organisation(values["organisation"], self.network)
        mine = {o.pk for o in perms.speaking_for(request.user, proposal)}
        if organisation.pk in mine:
            channel = Position.Channel.DIRECT
        elif perms.can_run_procedure(request.user, self.network):
            channel = values.get("channel") or Position.Channel.OTHER
            if channel == Position.Channel.DIRECT:
                raise field_error("channel", "On an organisation's behalf, say how the position was given.")
        else:
            raise PermissionDenied(f"You do not speak for {organisation} in {proposal.body}.")
        services.record_position(
            by=request.user,
            proposal=proposal,
            organisation=organisation,
            stance=values["stance"],
            reason=values["reason"],
            channel=channel,
        )
        return self._detail(proposal)

    @extend_schema(request=None, responses=ProposalDetailSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, network_slug, pk):
        proposal = self._procedure()
        services.close_proposal(by=request.user, proposal=proposal)
        return self._detail(proposal)

    def _reason(self, service, proposal):
        data = ProposalReasonSerializer(data=self.request.data)
        data.is_valid(raise_exception=True)
        service(by=self.request.user, proposal=proposal, reason=data.validated_data["reason"])
        return self._detail(proposal)

    @extend_schema(request=ProposalReasonSerializer, responses=ProposalDetailSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, network_slug, pk):
        proposal = self.get_object()
        if not perms.can_withdraw(request.user, proposal):
            raise PermissionDenied("Only the Secretariat and the proposer withdraw a proposal.")
        return self._reason(services.withdraw_proposal, proposal)

    @extend_schema(request=ProposalReasonSerializer, responses=ProposalDetailSerializer)
    @action(detail=True, methods=["post"])
    def defer(self, request, network_slug, pk):
        return self._reason(services.defer_proposal, self._procedure())

    @extend_schema(request=ProposalReasonSerializer, responses=ProposalDetailSerializer)
    @action(detail=True, methods=["post"])
    def reopen(self, request, network_slug, pk):
        proposal = self._procedure()
        data = ProposalReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.reopen_proposal(by=request.user, proposal=proposal, **data.validated_data)
        return self._detail(proposal)

    @extend_schema(
        request=inline_serializer("ConcernsState", {"concerns_state": serializers.BooleanField()}),
        responses=ProposalDetailSerializer,
    )
    @action(detail=True, methods=["post"], url_path="concerns-state")
    def concerns_state(self, request, network_slug, pk):
        """Say the matter concerns the state after all (opens the consultation); yes stays yes."""
        proposal = self.get_object()
        if not (
            perms.can_run_procedure(request.user, self.network) or perms.can_withdraw(request.user, proposal)
        ):
            raise PermissionDenied("Only the Secretariat and the proposer edit a proposal.")
        value = request.data.get("concerns_state")
        if not isinstance(value, bool):
            raise field_error("concerns_state", "Answer true or false.")
        services.update_proposal(by=request.user, proposal=proposal, concerns_state=value)
        return self._detail(proposal)

    @extend_schema(request=ConsultationWriteSerializer, responses={201: ConsultationSerializer})
    @action(detail=True, methods=["post"])
    def consultations(self, request, network_slug, pk):
        proposal = self._procedure()
        data = ConsultationWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        if values.get("organisation"):
            values["organisation"] = _organisation(values["organisation"], self.network)
        consultation = services.add_consultation(by=request.user, proposal=proposal, **values)
        return Response(ConsultationSerializer(consultation).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ConsultationRecordSerializer, responses=ConsultationSerializer)
    @action(detail=True, methods=["post"], url_path=r"consultations/(?P<consultation_id>\d+)/record")
    def record_consultation(self, request, network_slug, pk, consultation_id):
        proposal = self._procedure()
        consultation = proposal.consultations.filter(pk=consultation_id).first()
        if consultation is None:
            raise NotFound("No such consultation.")
        data = ConsultationRecordSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.record_consultation(by=request.user, consultation=consultation, **data.validated_data)
        return Response(ConsultationSerializer(consultation).data)

    @extend_schema(request=EscalationWriteSerializer, responses=ProposalDetailSerializer)
    @action(detail=True, methods=["post"])
    def escalation(self, request, network_slug, pk):
        """Where the matter was tabled and, once known, what the UNCT decided (which closes it)."""
        proposal = self._procedure()
        record = proposal.pending_escalation
        if record is None:
            raise field_error("escalation", "This proposal is not pending at the UNCT.")
        data = EscalationWriteSerializer(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        tabling = {k: values[k] for k in ("tabled_on", "unct_meeting", "unct_meeting_note") if k in values}
        with transaction.atomic():
            if tabling:
                services.update_escalation(by=request.user, escalation=record, **tabling)
            if values.get("outcome"):
                services.record_unct_decision(
                    by=request.user,
                    escalation=record,
                    adopted=values["outcome"] == "adopted",
                    decided_on=values["decided_on"],
                    unct_decision=values["unct_decision"],
                )
        return self._detail(proposal)


# The register ----------------------------------------------------------------------------------


class DecisionViewSet(NetworkScopedViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """The register: numbered, never changed once adopted."""

    serializer_class = DecisionSerializer
    filterset_class = DecisionFilterSet
    queryset = Decision.objects.none()
    read_check = staticmethod(perms.can_view_decisions)

    def get_queryset(self):
        return (
            Decision.objects.filter(network=self.network)
            .select_related("body", "amends", "supersedes")
            .prefetch_related("amended_by", "superseded_by")
            .order_by("-adopted_at", "-pk")
        )

    @extend_schema(request=RecordedDecisionWriteSerializer, responses={201: DecisionSerializer})
    @action(detail=False, methods=["post"])
    def record(self, request, network_slug):
        """Record a charter decision the body the charter names took elsewhere (the Secretariat):
        it enters the register marked as such and takes effect."""
        data = RecordedDecisionWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        _resolve_subject(self.network, values)
        approve = values.pop("approve")
        values["payload"] = _payload(self.network, values["kind"], values["payload"])
        if values["kind"] == Proposal.Kind.ADMIT_MEMBER:
            values["payload"] = {"approve": approve}
        decision = services.record_decision_taken_elsewhere(by=request.user, network=self.network, **values)
        return Response(DecisionSerializer(decision).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        responses=inline_serializer(
            "ImplementationSummary",
            {
                "summary": serializers.DictField(),
                "overdue_by_owner": serializers.ListField(child=serializers.DictField()),
                "pending_escalations": EscalationSerializer(many=True),
            },
        )
    )
    @action(detail=False)
    def summary(self, request, network_slug):
        """Implementation monitoring: decisions adopted and escalated, action items done and overdue."""
        today = self.network.today()
        return Response(
            {
                "summary": monitoring.implementation_summary(self.network, today=today),
                "overdue_by_owner": [
                    {"organisation": r["owner_organisation__acronym"], "overdue": r["overdue"]}
                    for r in monitoring.overdue_by_owner(self.network, today=today)
                ],
                "pending_escalations": EscalationSerializer(
                    monitoring.pending_escalations(self.network), many=True
                ).data,
            }
        )


# Action items ----------------------------------------------------------------------------------


class ActionItemViewSet(NetworkScopedViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """Follow-up of decisions and minutes. `?mine=true`: the caller's own and their organisations'."""

    serializer_class = ActionItemSerializer
    filterset_class = ActionItemFilterSet
    queryset = ActionItem.objects.none()
    read_check = staticmethod(perms.can_view_decisions)
    write_check = staticmethod(perms.can_view_decisions)

    def get_queryset(self):
        actions = ActionItem.objects.filter(network=self.network)
        if self.request.query_params.get("mine", "").lower() in ("true", "1", "yes"):
            actions = panels.my_actions(self.request.user, self.network)
        return actions.select_related("owner_organisation", "owner", "decision").order_by("due_date", "pk")

    def get_serializer_class(self):
        return ActionItemDetailSerializer if self.action == "retrieve" else ActionItemSerializer

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "mine", bool, description="Only the caller's own and their organisations' action items."
            )
        ]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def get_object(self):
        action_item = perms.get_action_for_user(self.request.user, self.network, self.kwargs["pk"])
        if self.action == "retrieve":
            prefetch = Prefetch("updates", queryset=ActionUpdate.objects.select_related("author"))
            action_item = (
                ActionItem.objects.select_related("owner_organisation", "owner", "decision")
                .prefetch_related(prefetch)
                .get(pk=action_item.pk)
            )
        return action_item

    def _values(self, data: dict) -> dict:
        values = dict(data)
        if "owner_organisation" in values:
            values["owner_organisation"] = _organisation(values["owner_organisation"], self.network)
        if values.get("owner"):
            values["owner"] = User.objects.filter(email__iexact=values["owner"]).first()
            if values["owner"] is None:
                raise field_error("owner", "No such person.")
        if values.get("decision"):
            values["decision"] = Decision.objects.filter(
                network=self.network, number__iexact=values["decision"]
            ).first()
            if values["decision"] is None:
                raise field_error("decision", "No such decision in this network.")
        return values

    @extend_schema(request=ActionItemWriteSerializer, responses={201: ActionItemSerializer})
    def create(self, request, network_slug):
        if not perms.can_create_actions(request.user, self.network):
            raise PermissionDenied("The Secretariat records action items.")
        data = ActionItemWriteSerializer(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        item = services.create_action_item(
            by=request.user, network=self.network, **self._values(data.validated_data)
        )
        return Response(ActionItemSerializer(item).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ActionItemWriteSerializer, responses=ActionItemSerializer)
    def partial_update(self, request, network_slug, pk):
        item = self.get_object()
        if not perms.can_create_actions(request.user, self.network):
            raise PermissionDenied("The Secretariat changes action items; owners report progress.")
        if not isinstance(request.data, dict):
            raise field_error("detail", _("Send an object: the fields to change and their values."))
        if unknown := sorted(set(request.data) - set(ActionItemWriteSerializer().fields)):
            raise field_error(unknown[0], "Not changed here (progress and status go through /progress/).")
        data = ActionItemWriteSerializer(
            data=request.data, partial=True, context=self.get_serializer_context()
        )
        data.is_valid(raise_exception=True)
        fields = {k: v for k, v in self._values(data.validated_data).items() if k in request.data}
        services.update_action_item(by=request.user, action=item, **fields)
        return Response(ActionItemSerializer(item).data)

    @extend_schema(request=ProgressSerializer, responses=ActionItemSerializer)
    @action(detail=True, methods=["post"])
    def progress(self, request, network_slug, pk):
        item = self.get_object()
        if not perms.can_update_action(request.user, item):
            raise PermissionDenied("The owner, their organisation and the Secretariat report progress.")
        data = ProgressSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.report_progress(by=request.user, action=item, **data.validated_data)
        return Response(ActionItemSerializer(item).data)

    @extend_schema(request=CommentSerializer, responses={201: ActionUpdateSerializer})
    @action(detail=True, methods=["post"])
    def comment(self, request, network_slug, pk):
        item = self.get_object()
        if not perms.can_comment_on_action(request.user, item):
            raise PermissionDenied("Members of the network comment.")
        data = CommentSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        update = services.comment_on_action(by=request.user, action=item, **data.validated_data)
        return Response(ActionUpdateSerializer(update).data, status=status.HTTP_201_CREATED)


# Consultations, for the consulted organisation's focal point ------------------------------------


class ConsultationDetailSerializer(ConsultationSerializer):
    """What is put to the organisation: a proposal (with its papers), or a text the network is
    about to speak (`subject`: its title and its wording in each language)."""

    proposal = serializers.SerializerMethodField()
    subject = serializers.JSONField(read_only=True)

    class Meta(ConsultationSerializer.Meta):
        fields = [*ConsultationSerializer.Meta.fields, "proposal", "subject"]

    def get_proposal(self, consultation) -> dict | None:
        proposal = consultation.proposal
        if proposal is None:
            return None
        return {
            "id": proposal.pk,
            "title": proposal.title,
            "text": proposal.text,
            "rationale": proposal.rationale,
            "status": proposal.status,
            "papers": [
                {"id": d.pk, "title": d.title, "filename": d.filename} for d in proposal.documents.all()
            ],
        }


class ConsultationViewSet(
    AuditedAPIMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """The consultations put to the organisations a focal point answers for (the Secretariat: all).
    A focal point holds no seat: every other resource of the network stays 404 to them."""

    serializer_class = ConsultationDetailSerializer
    queryset = Consultation.objects.none()
    lookup_value_regex = r"\d+"

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        try:
            self.network = perms.get_network_for_consultee(request.user, kwargs.get("network_slug"))
        except Http404 as exc:
            raise NotFound("There is no such network that you can see.") from exc

    def get_queryset(self):
        return (
            perms.visible_consultations(self.request.user, self.network)
            .select_related("proposal", "organisation", "rule")
            .prefetch_related("proposal__documents")
            .order_by("-pk")
        )

    @extend_schema(request=ConsultationRecordSerializer, responses=ConsultationDetailSerializer)
    @action(detail=True, methods=["post"])
    def record(self, request, network_slug, pk):
        """Record the organisation's answer: when, who spoke for it, the outcome and comments."""
        consultation = perms.get_consultation_for_user(request.user, self.network, pk)
        if not perms.can_answer_consultation(request.user, consultation):
            raise PermissionDenied("This consultation is closed or not yours to answer.")
        data = ConsultationRecordSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.record_consultation(by=request.user, consultation=consultation, **data.validated_data)
        return Response(ConsultationDetailSerializer(consultation).data)
