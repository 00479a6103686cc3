"""Statements in the REST API: drafting in versions, clearance by agency seat, paragraph comments,
sign-off, issue and delivery, through the same services and permission functions as the pages."""

import django_filters
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response

from convene.decisions.api import ConsultationSerializer
from convene.decisions.models import Decision
from convene.networks.api import NetworkScopedViewSet, _organisation, field_error
from convene.workplans.models import GcmObjective

from . import permissions as perms
from . import services
from .models import Clearance, Comment, Delivery, Round, SignOff, Statement, Version

# Serializers -----------------------------------------------------------------------------------


class StatementVersionSerializer(serializers.ModelSerializer):
    created_by = serializers.SlugRelatedField(slug_field="email", read_only=True, allow_null=True)

    class Meta:
        model = Version
        fields = [
            "id",
            "number",
            "texts",
            "authoritative_language",
            "editorial",
            "note",
            "created_by",
            "created_at",
        ]
        read_only_fields = fields


class StatementVersionSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = Version
        fields = ["id", "number", "authoritative_language", "editorial", "note", "created_at"]
        read_only_fields = fields


class ClearanceAnswerSerializer(serializers.ModelSerializer):
    organisation = serializers.CharField(source="organisation.acronym", read_only=True)
    version = serializers.SlugRelatedField(slug_field="number", read_only=True, allow_null=True)
    answered_by = serializers.SlugRelatedField(slug_field="email", read_only=True, allow_null=True)

    class Meta:
        model = Clearance
        fields = ["organisation", "answer", "comment", "channel", "version", "answered_by", "answered_at"]
        read_only_fields = fields


class ClearanceRoundSerializer(serializers.ModelSerializer):
    body = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    version = serializers.SlugRelatedField(slug_field="number", read_only=True)
    clearances = ClearanceAnswerSerializer(many=True, read_only=True)

    class Meta:
        model = Round
        fields = [
            "id",
            "version",
            "body",
            "procedure",
            "deadline",
            "opened_at",
            "closed_at",
            "outcome",
            "clearances",
        ]
        read_only_fields = fields


class ParagraphCommentSerializer(serializers.ModelSerializer):
    author = serializers.SlugRelatedField(slug_field="email", read_only=True, allow_null=True)
    organisation = serializers.SlugRelatedField(slug_field="acronym", read_only=True, allow_null=True)
    version = serializers.SlugRelatedField(slug_field="number", read_only=True)

    class Meta:
        model = Comment
        fields = ["id", "version", "language", "paragraph", "text", "author", "organisation", "created_at"]
        read_only_fields = fields


class StatementSignOffSerializer(serializers.ModelSerializer):
    organisation = serializers.SlugRelatedField(slug_field="acronym", read_only=True)
    version = serializers.SlugRelatedField(slug_field="number", read_only=True)
    person = serializers.SlugRelatedField(slug_field="email", read_only=True, allow_null=True)

    class Meta:
        model = SignOff
        fields = ["organisation", "version", "person", "signed_at"]
        read_only_fields = fields


class StatementDeliverySerializer(serializers.ModelSerializer):
    organisation = serializers.SlugRelatedField(slug_field="acronym", read_only=True)
    recorded_by = serializers.SlugRelatedField(slug_field="email", read_only=True, allow_null=True)

    class Meta:
        model = Delivery
        fields = [
            "id",
            "delivered_on",
            "organisation",
            "speaker",
            "occasion",
            "recipients",
            "note",
            "recorded_by",
        ]
        read_only_fields = fields


class StatementSerializer(serializers.ModelSerializer):
    body = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    decision = serializers.SlugRelatedField(slug_field="number", read_only=True, allow_null=True)
    gcm_objectives = serializers.SlugRelatedField(slug_field="number", many=True, read_only=True)
    drafted_by = serializers.SlugRelatedField(slug_field="email", read_only=True, allow_null=True)
    tabled = serializers.PrimaryKeyRelatedField(
        read_only=True, allow_null=True, help_text="The proposal it was tabled as, without consensus."
    )

    class Meta:
        model = Statement
        fields = [
            "id", "title", "kind", "audience", "occasion", "occasion_date", "body", "network_wide", "status",
            "voice", "decision", "gcm_objectives", "drafted_by", "issued_at", "created_at", "tabled",
            "concerns_state",
        ]  # fmt: skip
        read_only_fields = fields


class StateConsultationSerializer(ConsultationSerializer):
    version = serializers.IntegerField(source="subject.version", read_only=True)

    class Meta(ConsultationSerializer.Meta):
        fields = [*ConsultationSerializer.Meta.fields, "version"]
        read_only_fields = fields


class StatementDetailSerializer(StatementSerializer):
    latest_version = serializers.SerializerMethodField()
    versions = StatementVersionSummarySerializer(many=True, read_only=True)
    round = serializers.SerializerMethodField(help_text="The open round, or else the last one not voided.")
    sign_offs = StatementSignOffSerializer(many=True, read_only=True)
    signatory_line = serializers.SerializerMethodField(help_text="Once issued: in whose name it speaks.")
    deliveries = StatementDeliverySerializer(many=True, read_only=True)
    state_consultations = serializers.SerializerMethodField(
        help_text="Where it concerns the state: the consultations of the ministry the charter names."
    )

    class Meta(StatementSerializer.Meta):
        fields = [
            *StatementSerializer.Meta.fields, "latest_version", "versions", "round", "sign_offs",
            "signatory_line", "deliveries", "state_consultations",
        ]  # fmt: skip
        read_only_fields = fields

    def get_latest_version(self, statement) -> StatementVersionSerializer:
        version = services.latest_version(statement)
        return StatementVersionSerializer(version).data if version else None

    def get_round(self, statement) -> ClearanceRoundSerializer:
        round = services.open_round(statement) or services.last_round(statement)
        return ClearanceRoundSerializer(round).data if round else None

    def get_state_consultations(self, statement) -> StateConsultationSerializer(many=True):
        if not statement.concerns_state:
            return []
        return StateConsultationSerializer(
            statement.consultations.select_related("organisation"), many=True
        ).data

    def get_signatory_line(self, statement) -> str | None:
        if statement.status != Statement.Status.ISSUED:
            return None
        request = self.context.get("request")
        language = getattr(request, "LANGUAGE_CODE", None) or "en"
        return services.signatory_line(statement, language)


class StatementTextSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    text = serializers.CharField()


class TextsField(serializers.DictField):
    child = StatementTextSerializer()

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", "{language: {title, text}}; paragraphs are separated by a blank line.")
        super().__init__(child=StatementTextSerializer(), **kwargs)


def _concerns_state_field():
    return serializers.BooleanField(
        required=False,
        allow_null=True,
        help_text="Where the charter makes consulting a ministry on matters of the state mandatory "
        "(Kazakhstan): whether the statement is one; required before clearance.",
    )


class StatementWriteSerializer(serializers.Serializer):
    body = serializers.SlugField(required=False, help_text="Blank: the network (its plenary).")
    title = serializers.CharField(max_length=300)
    texts = TextsField()
    authoritative_language = serializers.CharField(max_length=10)
    kind = serializers.ChoiceField(Statement.Kind.choices, default=Statement.Kind.JOINT_STATEMENT)
    audience = serializers.ChoiceField(Statement.Audience.choices, default=Statement.Audience.INTERNAL)
    occasion = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    occasion_date = serializers.DateField(required=False, allow_null=True)
    decision = serializers.CharField(required=False, allow_null=True, help_text="A decision number.")
    gcm_objectives = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=23),
        required=False,
        default=list,
        help_text="GCM objectives by number.",
    )
    network_wide = serializers.BooleanField(
        default=False, help_text="Cleared by every member, where the charter has a smaller body clear."
    )
    concerns_state = _concerns_state_field()


class StatementUpdateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=300, required=False)
    kind = serializers.ChoiceField(Statement.Kind.choices, required=False)
    audience = serializers.ChoiceField(Statement.Audience.choices, required=False)
    occasion = serializers.CharField(max_length=300, required=False, allow_blank=True)
    occasion_date = serializers.DateField(required=False, allow_null=True)
    decision = serializers.CharField(required=False, allow_null=True, help_text="A decision number.")
    gcm_objectives = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=23), required=False, help_text="By number."
    )
    concerns_state = _concerns_state_field()


class StatementVersionWriteSerializer(serializers.Serializer):
    texts = TextsField()
    authoritative_language = serializers.CharField(max_length=10)
    editorial = serializers.BooleanField(
        default=False, help_text="Wording only: the clearances already given still count."
    )
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class ClearanceRoundWriteSerializer(serializers.Serializer):
    procedure = serializers.ChoiceField(Round.Procedure.choices, default=Round.Procedure.SILENCE)
    deadline = serializers.DateTimeField(
        required=False, allow_null=True, help_text="Blank: the charter's silence period (72 hours)."
    )


class ClearanceAnswerWriteSerializer(serializers.Serializer):
    organisation = serializers.CharField(max_length=50, help_text="Acronym of a seat in the round.")
    answer = serializers.ChoiceField([(a, Clearance.Answer(a).label) for a in Clearance.GIVEN])
    comment = serializers.CharField(required=False, allow_blank=True, default="")
    channel = serializers.ChoiceField(
        Clearance.Channel.choices,
        required=False,
        help_text="On a seat's behalf (the Secretariat): how the answer was given.",
    )


class ParagraphCommentWriteSerializer(serializers.Serializer):
    version = serializers.IntegerField(
        min_value=1, required=False, help_text="A version's number; blank: the latest."
    )
    language = serializers.CharField(max_length=10)
    paragraph = serializers.IntegerField(min_value=0, max_value=10_000, help_text="From 0.")
    text = serializers.CharField()


class StatementSignOffWriteSerializer(serializers.Serializer):
    organisation = serializers.CharField(
        max_length=50, help_text="Acronym of an organisation that signs off."
    )


class WithdrawalSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500)


class StatementDeliveryWriteSerializer(serializers.Serializer):
    delivered_on = serializers.DateField()
    organisation = serializers.CharField(max_length=50, help_text="Acronym of the delivering organisation.")
    speaker = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    occasion = serializers.CharField(max_length=300)
    recipients = serializers.CharField(max_length=300)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class StatementFilterSet(django_filters.FilterSet):
    body = django_filters.CharFilter(field_name="body__slug", label="Body")

    class Meta:
        model = Statement
        fields = ["status", "kind", "body"]


# Views -----------------------------------------------------------------------------------------


class StatementViewSet(NetworkScopedViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """Statements the network speaks with one voice: versions, clearance, sign-off, delivery."""

    serializer_class = StatementSerializer
    filterset_class = StatementFilterSet
    queryset = Statement.objects.none()  # the network's, in get_queryset; this names the model
    read_check = staticmethod(perms.can_view_statements)
    write_check = staticmethod(perms.can_view_statements)  # each action asks its own question below

    def initial(self, request, *args, **kwargs):
        # A working group's participants read their group's statement (not the list).
        if kwargs.get("pk") is not None:
            self.read_check = self.write_check = staticmethod(_participant)
        super().initial(request, *args, **kwargs)

    def get_queryset(self):
        return (
            Statement.objects.filter(network=self.network)
            .select_related("body", "decision", "drafted_by")
            .prefetch_related("gcm_objectives")
            .order_by("-created_at", "-id")
        )

    def get_serializer_class(self):
        return StatementDetailSerializer if self.action == "retrieve" else StatementSerializer

    def get_object(self):
        try:
            return perms.get_statement_for_user(self.request.user, self.network, self.kwargs["pk"])
        except Http404 as exc:
            raise NotFound(_("No such statement in this network.")) from exc

    def _manage(self) -> Statement:
        statement = self.get_object()
        if not perms.can_manage_statement(self.request.user, statement):
            raise PermissionDenied(
                _("Only the Secretariat, the drafter and those who draft in its name change a statement.")
                if not statement.is_locked
                else _("An issued or withdrawn statement cannot be changed.")
            )
        return statement

    def _detail(self, statement, code=status.HTTP_200_OK):
        statement = (
            self.get_queryset().prefetch_related("versions", "sign_offs", "deliveries").get(pk=statement.pk)
        )
        statement.network = self.network
        return Response(
            StatementDetailSerializer(statement, context=self.get_serializer_context()).data, status=code
        )

    def retrieve(self, request, *args, **kwargs):
        return self._detail(self.get_object())

    def _decision(self, number):
        return decision_by_number(self.network, number) if number else None

    def _objectives(self, numbers):
        found = list(GcmObjective.objects.filter(number__in=numbers))
        if unknown := sorted(set(numbers) - {o.number for o in found}):
            raise field_error(
                "gcm_objectives", _("No such GCM objective: %(n)s.") % {"n": ", ".join(map(str, unknown))}
            )
        return found

    @staticmethod
    def _texts(data) -> dict:
        return {language: dict(text) for language, text in data.items()}

    @extend_schema(request=StatementWriteSerializer, responses={201: StatementDetailSerializer})
    def create(self, request, network_slug):
        bodies = perms.drafting_bodies(request.user, self.network)
        if not bodies:
            raise PermissionDenied(
                _("The Secretariat, the co-chairs and a working group's co-chairs draft statements.")
            )
        data = StatementWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        slug = values.pop("body", None)
        body = next((b for b in bodies if b.slug == slug), None) if slug else bodies[0]
        if body is None:
            if self.network.bodies.filter(slug=slug).exists():
                raise PermissionDenied(_("You do not draft in the name of this body."))
            raise field_error("body", _("No such body in this network."))
        values["texts"] = self._texts(values["texts"])
        values["decision"] = self._decision(values.get("decision"))
        values["gcm_objectives"] = self._objectives(values["gcm_objectives"])
        statement = services.draft_statement(by=request.user, network=self.network, body=body, **values)
        return self._detail(statement, status.HTTP_201_CREATED)

    @extend_schema(request=StatementUpdateSerializer, responses=StatementDetailSerializer)
    def partial_update(self, request, network_slug, pk):
        statement = self._manage()
        if not isinstance(request.data, dict):
            raise field_error("detail", _("Send an object: the fields to change and their values."))
        if unknown := sorted(set(request.data) - set(StatementUpdateSerializer().fields)):
            raise field_error(unknown[0], _("Not changed here: the text changes by a new version."))
        data = StatementUpdateSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        if "decision" in values:
            values["decision"] = self._decision(values["decision"])
        if "gcm_objectives" in values:
            values["gcm_objectives"] = self._objectives(values["gcm_objectives"])
        services.update_statement(by=request.user, statement=statement, **values)
        return self._detail(statement)

    @extend_schema(request=StatementVersionWriteSerializer, responses={201: StatementDetailSerializer})
    @action(detail=True, methods=["post"])
    def versions(self, request, network_slug, pk):
        """A new version; unless editorial, it voids the clearances given so far."""
        statement = self._manage()
        data = StatementVersionWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        values["texts"] = self._texts(values["texts"])
        services.revise_statement(by=request.user, statement=statement, **values)
        return self._detail(statement, status.HTTP_201_CREATED)

    @extend_schema(request=ClearanceRoundWriteSerializer, responses=StatementDetailSerializer)
    @action(detail=True, methods=["post"])
    def clearance(self, request, network_slug, pk):
        """Put the latest version to every agency seat of the clearing body until the deadline."""
        statement = self._manage()
        data = ClearanceRoundWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.put_to_clearance(by=request.user, statement=statement, **data.validated_data)
        return self._detail(statement)

    @extend_schema(request=ClearanceAnswerWriteSerializer, responses=StatementDetailSerializer)
    @action(detail=True, methods=["post"])
    def answer(self, request, network_slug, pk):
        """A representative answers for their seat; the Secretariat records an answer given by
        e-mail, phone or in a meeting on a seat's behalf."""
        statement = self.get_object()
        data = ClearanceAnswerWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        round = services.open_round(statement)
        if round is None:
            raise field_error("detail", _("This statement is not in clearance."))
        organisation, channel = answering_seat(request.user, self.network, round, values)
        services.answer_clearance(
            by=request.user,
            round=round,
            organisation=organisation,
            answer=values["answer"],
            comment=values["comment"],
            channel=channel,
        )
        return self._detail(statement)

    @extend_schema(methods=["GET"], request=None, responses=ParagraphCommentSerializer(many=True))
    @extend_schema(
        methods=["POST"], request=ParagraphCommentWriteSerializer, responses={201: ParagraphCommentSerializer}
    )
    @action(detail=True, methods=["get", "post"])
    def comments(self, request, network_slug, pk):
        """Comments on a version's paragraphs (`?version=` a number; blank: the latest)."""
        statement = self.get_object()
        number = (
            request.data.get("version") if request.method == "POST" else request.query_params.get("version")
        )
        if request.method == "GET":
            version = self._version(statement, number)
            comments = version.comments.select_related("author", "organisation", "version")
            return Response(ParagraphCommentSerializer(comments, many=True).data)
        data = ParagraphCommentWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        version = self._version(statement, values.pop("version", None))
        round = services.open_round(statement)
        seats = perms.answering_for(request.user, round) if round else []
        comment = services.comment_on_paragraph(
            by=request.user, version=version, organisation=seats[0] if len(seats) == 1 else None, **values
        )
        return Response(ParagraphCommentSerializer(comment).data, status=status.HTTP_201_CREATED)

    def _version(self, statement, number) -> Version:
        if number in (None, ""):
            return services.latest_version(statement)
        try:
            version = statement.versions.filter(number=int(number)).first()
        except (TypeError, ValueError):
            version = None
        if version is None:
            raise field_error("version", _("No such version of this statement."))
        return version

    @extend_schema(request=StatementSignOffWriteSerializer, responses=StatementDetailSerializer)
    @action(detail=True, methods=["post"], url_path="sign-off")
    def sign_off(self, request, network_slug, pk):
        """One of those the charter names signs off the cleared version; once all have, it is issued."""
        statement = self.get_object()
        data = StatementSignOffWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        organisation = _organisation(data.validated_data["organisation"], self.network)
        if organisation.pk not in {o.pk for o in perms.signing_for(request.user, statement)}:
            raise PermissionDenied(_("You do not sign off for %(org)s.") % {"org": organisation})
        services.sign_off(by=request.user, statement=statement, organisation=organisation)
        return self._detail(statement)

    @extend_schema(request=None, responses=StatementDetailSerializer)
    @action(detail=True, methods=["post"])
    def undersigned(self, request, network_slug, pk):
        """Without consensus: issue it in the name of the agencies that cleared it only."""
        statement = self._manage()
        services.speak_for_undersigned(by=request.user, statement=statement)
        return self._detail(statement)

    @extend_schema(request=None, responses=StatementDetailSerializer)
    @action(detail=True, methods=["post"])
    def table(self, request, network_slug, pk):
        """Without consensus (a standing objection): table it where the charter sends a matter on
        (Kenya: the UNCT), as an escalated proposal with each seat's answer as its position."""
        statement = self._manage()
        services.table_statement(by=request.user, statement=statement)
        return self._detail(statement)

    @extend_schema(request=None, responses=StatementDetailSerializer)
    @action(detail=True, methods=["post"], url_path="follow-unct")
    def follow_unct(self, request, network_slug, pk):
        """The UNCT adopted the tabled statement: it goes to sign-off in the name of the network."""
        statement = self._manage()
        services.speak_after_unct(by=request.user, statement=statement)
        return self._detail(statement)

    @extend_schema(request=WithdrawalSerializer, responses=StatementDetailSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, network_slug, pk):
        statement = self._manage()
        data = WithdrawalSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.withdraw_statement(by=request.user, statement=statement, **data.validated_data)
        return self._detail(statement)

    @extend_schema(request=StatementDeliveryWriteSerializer, responses={201: StatementDeliverySerializer})
    @action(detail=True, methods=["post"])
    def deliveries(self, request, network_slug, pk):
        """Where the issued statement was delivered, by whom, to whom."""
        statement = self.get_object()
        if not perms.can_record_delivery(request.user, statement):
            raise PermissionDenied(
                _("The Secretariat and those who sign off record where an issued statement was delivered.")
            )
        data = StatementDeliveryWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        values["organisation"] = _organisation(values["organisation"], self.network)
        delivery = services.record_delivery(by=request.user, statement=statement, **values)
        return Response(StatementDeliverySerializer(delivery).data, status=status.HTTP_201_CREATED)


def decision_by_number(network, number: str) -> Decision:
    """A decision of the network by its number (`KEN/2027/007`); 400 for any other."""
    decision = Decision.objects.filter(network=network, number__iexact=number).first()
    if decision is None:
        raise field_error("decision", _("No such decision in this network."))
    return decision


def answering_seat(user, network, round: Round, values: dict):
    """(organisation, channel) of an answer in a round: a representative answers for their own seat;
    the Secretariat records any seat's answer on its behalf, saying how it was given."""
    organisation = _organisation(values["organisation"], network)
    if organisation.pk in {o.pk for o in perms.answering_for(user, round)}:
        return organisation, Clearance.Channel.DIRECT
    if not perms.can_record_on_behalf(user, network):
        raise PermissionDenied(_("You do not answer for %(org)s in this clearance.") % {"org": organisation})
    channel = values.get("channel")
    if not channel or channel == Clearance.Channel.DIRECT:
        raise field_error("channel", _("On a seat's behalf, say how the answer was given."))
    return organisation, channel


def _participant(user, network) -> bool:
    """Detail routes: any participant gets as far as the statement, which says whether they see it."""
    return True
