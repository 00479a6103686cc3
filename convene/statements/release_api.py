"""Agreed releases in the REST API: propose a record, ask the seats that own it (the statements'
clearance engine) or record the decision that agreed, answer for a seat, withdraw; through the same
services and permission functions as the release pages."""

import django_filters
from django.db.models import Prefetch
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response

from convene.networks.api import NetworkScopedViewSet, field_error

from . import permissions as perms
from . import releases, services
from .api import (
    ClearanceAnswerSerializer,
    ClearanceAnswerWriteSerializer,
    ClearanceRoundSerializer,
    ClearanceRoundWriteSerializer,
    WithdrawalSerializer,
    answering_seat,
    decision_by_number,
)
from .models import Clearance, Release, Round

# Serializers -----------------------------------------------------------------------------------


def kind_choices() -> list[tuple[str, str]]:
    """The kinds of record that may be released, as the API names them."""
    return [(releases.kind_key(model), kind.label) for model, kind in releases.REGISTRY.items()]


def public_url(request, release: Release) -> str | None:
    """Its address on the public page, once released."""
    if release.status != Release.Status.RELEASED:
        return None
    return request.build_absolute_uri(
        reverse("statements:public_release", args=[release.network.slug, release.pk])
    )


class ReleaseClearanceSerializer(ClearanceAnswerSerializer):
    class Meta(ClearanceAnswerSerializer.Meta):
        fields = [f for f in ClearanceAnswerSerializer.Meta.fields if f != "version"]
        read_only_fields = fields


class ReleaseRoundSerializer(ClearanceRoundSerializer):
    clearances = ReleaseClearanceSerializer(many=True, read_only=True)

    class Meta(ClearanceRoundSerializer.Meta):
        fields = [f for f in ClearanceRoundSerializer.Meta.fields if f != "version"]
        read_only_fields = fields


class ReleaseSerializer(serializers.ModelSerializer):
    kind = serializers.SerializerMethodField(help_text="The kind of record: `library.document`, …")
    kind_label = serializers.SerializerMethodField(help_text="The kind, in the language of the request.")
    record = serializers.SerializerMethodField(help_text="The record released: `app_label.model:id`.")
    decision = serializers.SlugRelatedField(
        slug_field="number", read_only=True, allow_null=True, help_text="The decision that agreed to it."
    )
    proposed_by = serializers.SlugRelatedField(slug_field="email", read_only=True, allow_null=True)
    public_url = serializers.SerializerMethodField(help_text="Once released: its address on the public page.")

    class Meta:
        model = Release
        fields = [
            "id", "title", "summary", "kind", "kind_label", "record", "status", "decision", "proposed_by",
            "created_at", "released_at", "withdrawn_at", "withdrawal_reason", "public_url",
        ]  # fmt: skip
        read_only_fields = fields

    def get_kind(self, release) -> str:
        return f"{release.record_type.app_label}.{release.record_type.model}"

    def get_kind_label(self, release) -> str:
        return releases.kind_label(release)

    def get_record(self, release) -> str:
        return f"{self.get_kind(release)}:{release.record_id}"

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_public_url(self, release):
        return public_url(self.context["request"], release)


class ReleaseDetailSerializer(ReleaseSerializer):
    rounds = ReleaseRoundSerializer(
        many=True, read_only=True, help_text="Its clearance rounds, newest first, with each seat's answer."
    )

    class Meta(ReleaseSerializer.Meta):
        fields = [*ReleaseSerializer.Meta.fields, "rounds"]
        read_only_fields = fields


class ReleaseWriteSerializer(serializers.Serializer):
    record = serializers.CharField(
        max_length=100,
        help_text="`app_label.model:id` of a record of this network, as `candidates` lists it.",
    )
    title = serializers.CharField(
        max_length=300, required=False, allow_blank=True, default="", help_text="Blank: the record's."
    )
    summary = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="What the public page says of it."
    )


class ReleaseDecisionSerializer(serializers.Serializer):
    decision = serializers.CharField(max_length=50, help_text="The number of a decision of this network.")


class ReleaseCandidateSerializer(serializers.Serializer):
    record = serializers.CharField(help_text="`app_label.model:id`, to propose it.")
    title = serializers.CharField()


class ReleaseCandidatesSerializer(serializers.Serializer):
    kind = serializers.CharField()
    kind_label = serializers.CharField()
    records = ReleaseCandidateSerializer(many=True)


class ReleaseFilterSet(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=kind_choices, method="filter_kind", label="Kind")

    class Meta:
        model = Release
        fields = ["status", "kind"]

    def filter_kind(self, queryset, name, value: str):
        app_label, model = value.split(".")
        return queryset.filter(record_type__app_label=app_label, record_type__model=model)


# Views -----------------------------------------------------------------------------------------

ROUNDS = Prefetch(
    "rounds",
    queryset=Round.objects.select_related("body").prefetch_related(
        Prefetch("clearances", queryset=Clearance.objects.select_related("organisation", "answered_by"))
    ),
)


class ReleaseViewSet(NetworkScopedViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """Agreement to make a record of the network public: members read, the Secretariat acts, each
    seat of the owning body answers in a clearance round."""

    serializer_class = ReleaseSerializer
    filterset_class = ReleaseFilterSet
    queryset = Release.objects.none()  # the network's, in get_queryset; this names the model
    read_check = staticmethod(perms.can_view_releases)
    write_check = staticmethod(perms.can_view_releases)  # each action asks its own question below

    def get_queryset(self):
        return (
            Release.objects.filter(network=self.network)
            .select_related("network", "record_type", "decision", "proposed_by")
            .order_by("-created_at", "-id")
        )

    def get_serializer_class(self):
        return ReleaseDetailSerializer if self.action == "retrieve" else ReleaseSerializer

    def get_object(self) -> Release:
        try:
            return perms.get_release_for_user(self.request.user, self.network, self.kwargs["pk"])
        except Http404 as exc:
            raise NotFound(_("No such release in this network.")) from exc

    def _check_manage(self) -> None:
        if not perms.can_manage_releases(self.request.user, self.network):
            raise PermissionDenied(_("Only the Secretariat acts on releases."))

    def _manage(self) -> Release:
        release = self.get_object()
        self._check_manage()
        return release

    def _detail(self, release: Release, code=status.HTTP_200_OK):
        release = self.get_queryset().prefetch_related(ROUNDS).get(pk=release.pk)
        return Response(
            ReleaseDetailSerializer(release, context=self.get_serializer_context()).data, status=code
        )

    def retrieve(self, request, *args, **kwargs):
        return self._detail(self.get_object())

    @extend_schema(request=ReleaseWriteSerializer, responses={201: ReleaseDetailSerializer})
    def create(self, request, network_slug):
        """Propose a record for release; it stays internal until its owners or a decision agree."""
        self._check_manage()
        data = ReleaseWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        record = releases.find_record(self.network, values["record"])
        if record is None:
            raise field_error("record", _("No such record in this network that may be released."))
        release = releases.propose_release(
            by=request.user, record=record, title=values["title"], summary=values["summary"]
        )
        return self._detail(release, status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=ReleaseCandidatesSerializer(many=True))
    @action(detail=False, methods=["get"], filter_backends=[])
    def candidates(self, request, network_slug):
        """The records that may be proposed, by kind, newest first (not those already live)."""
        self._check_manage()
        found = [
            {
                "kind": records[0][0].split(":")[0],
                "kind_label": label,
                "records": [{"record": ref, "title": title} for ref, title in records],
            }
            for label, records in releases.candidates(self.network)
        ]
        return Response(ReleaseCandidatesSerializer(found, many=True).data)

    @extend_schema(request=ClearanceRoundWriteSerializer, responses=ReleaseDetailSerializer)
    @action(detail=True, methods=["post"])
    def clearance(self, request, network_slug, pk):
        """Ask every seat of the body that owns the record to agree, until the deadline."""
        release = self._manage()
        data = ClearanceRoundWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        releases.put_release_to_clearance(by=request.user, release=release, **data.validated_data)
        return self._detail(release)

    @extend_schema(request=ClearanceAnswerWriteSerializer, responses=ReleaseDetailSerializer)
    @action(detail=True, methods=["post"])
    def answer(self, request, network_slug, pk):
        """A representative answers for their seat; the Secretariat records an answer given by
        e-mail, phone or in a meeting on a seat's behalf."""
        release = self.get_object()
        data = ClearanceAnswerWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        round = release.rounds.filter(outcome=Round.Outcome.OPEN).select_related("body").first()
        if round is None:
            raise field_error("detail", _("This release is not in clearance."))
        round.release = release
        organisation, channel = answering_seat(request.user, self.network, round, values)
        services.answer_clearance(
            by=request.user,
            round=round,
            organisation=organisation,
            answer=values["answer"],
            comment=values["comment"],
            channel=channel,
        )
        return self._detail(release)

    @extend_schema(request=ReleaseDecisionSerializer, responses=ReleaseDetailSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request, network_slug, pk):
        """The network decided to make it public: that decision is the agreement, and it is released."""
        release = self._manage()
        data = ReleaseDecisionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        decision = decision_by_number(self.network, data.validated_data["decision"])
        releases.release_by_decision(by=request.user, release=release, decision=decision)
        return self._detail(release)

    @extend_schema(request=WithdrawalSerializer, responses=ReleaseDetailSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, network_slug, pk):
        """Take it off the public page (or stop the proposal), saying why; the record stays."""
        release = self._manage()
        data = WithdrawalSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        releases.withdraw_release(by=request.user, release=release, **data.validated_data)
        return self._detail(release)
