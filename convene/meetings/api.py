"""Meetings in the REST API: the same services and permission functions as the pages."""

import datetime

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch, prefetch_related_objects
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response

from convene.networks.api import NetworkObjectField, NetworkScopedViewSet
from convene.networks.models import Body, Organisation

from . import permissions as perms
from . import services
from .models import AgendaItem, Attendance, Meeting, Minutes, MinutesComment, MinutesItem


class AgendaItemSerializer(serializers.ModelSerializer):
    presenter = serializers.SlugRelatedField(slug_field="acronym", read_only=True, allow_null=True)
    proposed_by = serializers.SlugRelatedField(slug_field="email", read_only=True, allow_null=True)

    class Meta:
        model = AgendaItem
        fields = [
            "id",
            "order",
            "title",
            "description",
            "kind",
            "presenter",
            "duration_minutes",
            "status",
            "proposed_by",
            "decline_reason",
            "previous_meeting",
        ]
        read_only_fields = fields


class MeetingSerializer(serializers.ModelSerializer):
    body = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    called_by = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    agenda = serializers.SerializerMethodField()

    class Meta:
        model = Meeting
        fields = [
            "id",
            "uid",
            "body",
            "kind",
            "title",
            "status",
            "starts_at",
            "ends_at",
            "timezone",
            "location",
            "online_url",
            "unct_meeting",
            "called_by",
            "call_reason",
            "external_stakeholders",
            "cancel_reason",
            "series",
            "sequence",
            "agenda_circulated_at",
            "agenda",
        ]
        read_only_fields = fields

    def get_agenda(self, meeting) -> list[dict]:
        if not self.context.get("with_agenda"):
            return []
        items = [i for i in meeting.agenda_items.all() if i.status == AgendaItem.Status.ACCEPTED]
        return AgendaItemSerializer(items, many=True).data


class MeetingWriteSerializer(serializers.Serializer):
    body = serializers.SlugField()
    kind = serializers.ChoiceField(Meeting.Kind.choices, default=Meeting.Kind.REGULAR)
    title = serializers.CharField(max_length=200)
    starts_at = serializers.DateTimeField(help_text="With a UTC offset; shown in the network's zone.")
    ends_at = serializers.DateTimeField()
    location = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    online_url = serializers.URLField(required=False, allow_blank=True, default="")
    unct_meeting = NetworkObjectField(
        Meeting,
        scope=lambda network: Meeting.objects.filter(network=network),
        what=_("meeting"),
        required=False,
        allow_null=True,
    )
    called_by = serializers.SlugField(required=False, allow_null=True)
    call_reason = serializers.CharField(required=False, allow_blank=True, default="")
    external_stakeholders = serializers.CharField(required=False, allow_blank=True, default="")


class SeriesWriteSerializer(serializers.Serializer):
    body = serializers.SlugField()
    title = serializers.CharField(max_length=200)
    rrule = serializers.CharField(
        help_text="RFC 5545 RRULE with COUNT or UNTIL, e.g. FREQ=MONTHLY;BYMONTH=3,6,9,12;BYDAY=+2TU;COUNT=4"
    )
    first_day = serializers.DateField()
    start = serializers.TimeField(help_text="Local time in the network's zone.")
    duration_minutes = serializers.IntegerField(min_value=15, max_value=1440)
    location = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    online_url = serializers.URLField(required=False, allow_blank=True, default="")


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300)


class AgendaItemWriteSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=300)
    kind = serializers.ChoiceField(AgendaItem.Kind.choices, default=AgendaItem.Kind.DISCUSSION)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    presenter = serializers.CharField(required=False, allow_null=True, help_text="Organisation acronym")
    duration_minutes = serializers.IntegerField(min_value=1, max_value=600, required=False, allow_null=True)


class OrderSerializer(serializers.Serializer):
    items = serializers.ListField(
        child=serializers.IntegerField(), help_text="Every item id, in the new order"
    )


class DecideSerializer(serializers.Serializer):
    accept = serializers.BooleanField()
    reason = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class AttendanceRowSerializer(serializers.Serializer):
    organisation = serializers.CharField(help_text="Acronym of a member organisation of the body")
    status = serializers.ChoiceField(Attendance.Status.choices)
    person = serializers.EmailField(required=False, allow_null=True, help_text="A representative's e-mail")
    designate_name = serializers.CharField(required=False, allow_blank=True, default="")


class AttendanceSerializer(serializers.ModelSerializer):
    organisation = serializers.SlugRelatedField(slug_field="acronym", read_only=True)
    person = serializers.SlugRelatedField(slug_field="email", read_only=True, allow_null=True)

    class Meta:
        model = Attendance
        fields = ["organisation", "status", "person", "capacity", "designate_name"]
        read_only_fields = fields


class MinutesItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = MinutesItem
        fields = ["id", "order", "title", "notes", "decisions", "action_points"]
        read_only_fields = fields


class MinutesSerializer(serializers.ModelSerializer):
    items = MinutesItemSerializer(many=True, read_only=True)
    corrects = serializers.SlugRelatedField(slug_field="version", read_only=True, allow_null=True)
    comments = serializers.IntegerField(source="comments.count", read_only=True)
    revision = serializers.IntegerField(
        read_only=True, help_text="Send it back with a save: a save from an older revision is refused."
    )

    class Meta:
        model = Minutes
        fields = [
            "id",
            "version",
            "status",
            "corrects",
            "revision",
            "summary",
            "comment_deadline",
            "circulated_at",
            "approved_at",
            "approved_at_meeting",
            "approval_note",
            "disseminated_at",
            "comments",
            "items",
        ]
        read_only_fields = fields


class MinutesCirculateSerializer(serializers.Serializer):
    comment_deadline = serializers.DateField()


def _minutes_text(**kwargs):
    """Text as typed: kept whole, leading and trailing spaces and line breaks included."""
    return serializers.CharField(required=False, allow_blank=True, trim_whitespace=False, **kwargs)


class MinutesSectionWriteSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="The section's id (`items[].id` of the minutes).")
    notes = _minutes_text()
    decisions = _minutes_text()
    action_points = _minutes_text()


class MinutesSaveSerializer(serializers.Serializer):
    revision = serializers.IntegerField(
        min_value=0,
        help_text="The `revision` of the minutes you started from; if someone saved since, the save is "
        "refused (409) with the version now saved.",
    )
    summary = _minutes_text(help_text="Left out: kept as saved.")
    items = MinutesSectionWriteSerializer(
        many=True,
        required=False,
        help_text="The sections to change; a section or a field left out is kept as saved.",
    )

    def validate_items(self, items):
        ids = [item["id"] for item in items]
        if len(ids) != len(set(ids)):
            raise serializers.ValidationError(_("Give each section once."))
        return items


class MinutesConflictSerializer(serializers.Serializer):
    detail = serializers.CharField()
    minutes = MinutesSerializer(help_text="The version now saved, with its revision.")


class MinutesApproveSerializer(serializers.Serializer):
    at_meeting = NetworkObjectField(
        Meeting,
        scope=lambda network: Meeting.objects.filter(network=network),
        what=_("meeting"),
        required=False,
        allow_null=True,
        help_text="Id of the later meeting of the same body that approved them; left out: approved "
        "without objection once the comment deadline has passed.",
    )
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class MinutesCommentWriteSerializer(serializers.Serializer):
    text = serializers.CharField()


class MinutesCommentSerializer(serializers.ModelSerializer):
    version = serializers.IntegerField(source="minutes.version", read_only=True)
    author = serializers.SlugRelatedField(slug_field="email", read_only=True)

    class Meta:
        model = MinutesComment
        fields = ["id", "version", "author", "text", "created_at"]
        read_only_fields = fields


class MeetingViewSet(NetworkScopedViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """Meetings of the network's bodies (a working group's: its members and the Secretariat only)."""

    serializer_class = MeetingSerializer
    queryset = Meeting.objects.none()  # the visible ones, in get_queryset; this names the model
    filterset_fields = ["kind", "status", "body__slug"]
    # Anyone who may see a meeting reads; what they may change is asked per meeting below.
    read_check = staticmethod(lambda user, network: True)
    write_check = staticmethod(lambda user, network: True)

    def get_queryset(self):
        return perms.visible_meetings(self.request.user, self.network).select_related("body", "called_by")

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "with_agenda": self.action == "retrieve"}

    def get_object(self):
        meeting = perms.get_meeting_for_user(self.request.user, self.network, self.kwargs["pk"])
        if self.action == "retrieve":
            items = AgendaItem.objects.select_related("presenter", "proposed_by").order_by("order", "pk")
            prefetch_related_objects([meeting], Prefetch("agenda_items", queryset=items))
        return meeting

    def _managed(self) -> Meeting:
        meeting = self.get_object()
        if not perms.can_manage_meeting(self.request.user, meeting):
            raise PermissionDenied("Only the Secretariat and the co-chairs organise this meeting.")
        return meeting

    def _body(self, slug) -> Body:
        body = self.network.bodies.filter(slug=slug).first()
        if body is None:
            raise serializers.ValidationError({"body": ["No such body in this network."]})
        return body

    def _meeting_fields(self, data: dict) -> dict:
        values = dict(data)
        values.pop("body", None)
        if values.get("called_by"):
            values["called_by"] = self._body(values["called_by"])
        return values

    @extend_schema(request=MeetingWriteSerializer, responses={201: MeetingSerializer})
    def create(self, request, network_slug):
        data = MeetingWriteSerializer(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        body = self._body(data.validated_data["body"])
        values = self._meeting_fields(data.validated_data)
        allowed = perms.can_organise_meetings(request.user, body) or (
            values["kind"] == Meeting.Kind.EXTRAORDINARY
            and perms.can_call_extraordinary_meeting(request.user, self.network)
        )
        if not allowed:
            raise PermissionDenied("You cannot schedule meetings of this body.")
        meeting = services.schedule_meeting(by=request.user, body=body, **values)
        return Response(MeetingSerializer(meeting).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=MeetingWriteSerializer, responses=MeetingSerializer)
    def partial_update(self, request, network_slug, pk):
        meeting = self._managed()
        data = MeetingWriteSerializer(data=request.data, partial=True, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        fields = self._meeting_fields({k: v for k, v in data.validated_data.items() if k in request.data})
        services.update_meeting(by=request.user, meeting=meeting, **fields)
        return Response(MeetingSerializer(meeting).data)

    @extend_schema(request=SeriesWriteSerializer, responses={201: MeetingSerializer(many=True)})
    @action(detail=False, methods=["post"])
    def series(self, request, network_slug):
        data = SeriesWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        body = self._body(values.pop("body"))
        if not perms.can_organise_meetings(request.user, body):
            raise PermissionDenied("You cannot schedule meetings of this body.")
        values["duration"] = datetime.timedelta(minutes=values.pop("duration_minutes"))
        series = services.schedule_series(by=request.user, body=body, **values)
        return Response(
            MeetingSerializer(series.meetings.all(), many=True).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(request=ReasonSerializer, responses=MeetingSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, network_slug, pk):
        meeting = self._managed()
        data = ReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.cancel_meeting(by=request.user, meeting=meeting, reason=data.validated_data["reason"])
        return Response(MeetingSerializer(meeting).data)

    @extend_schema(request=None, responses=MeetingSerializer)
    @action(detail=True, methods=["post"])
    def held(self, request, network_slug, pk):
        meeting = self._managed()
        services.mark_held(by=request.user, meeting=meeting)
        return Response(MeetingSerializer(meeting).data)

    @extend_schema(request=AgendaItemWriteSerializer, responses={201: AgendaItemSerializer})
    @action(detail=True, methods=["post"], url_path="agenda")
    def add_item(self, request, network_slug, pk):
        """Add an item (organisers) or suggest one (members of the body)."""
        meeting = self.get_object()
        manage = perms.can_manage_meeting(request.user, meeting)
        if not (manage or perms.can_suggest_agenda_item(request.user, meeting)):
            raise PermissionDenied("Only members of the body suggest items.")
        data = AgendaItemWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        if values.get("presenter"):
            values["presenter"] = Organisation.objects.filter(acronym__iexact=values["presenter"]).first()
            if values["presenter"] is None:
                raise serializers.ValidationError({"presenter": ["No such organisation in the registry."]})
        add = services.add_agenda_item if manage else services.suggest_agenda_item
        item = add(by=request.user, meeting=meeting, **values)
        return Response(AgendaItemSerializer(item).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=OrderSerializer, responses=AgendaItemSerializer(many=True))
    @action(detail=True, methods=["post"], url_path="agenda/order")
    def order(self, request, network_slug, pk):
        meeting = self._managed()
        data = OrderSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.reorder_agenda(by=request.user, meeting=meeting, item_ids=data.validated_data["items"])
        return Response(AgendaItemSerializer(meeting.agenda_items.all(), many=True).data)

    @extend_schema(request=DecideSerializer, responses=AgendaItemSerializer)
    @action(detail=True, methods=["post"], url_path=r"agenda/(?P<item_id>\d+)/decide")
    def decide(self, request, network_slug, pk, item_id):
        meeting = self._managed()
        item = meeting.agenda_items.filter(pk=item_id).first()
        if item is None:
            raise NotFound("No such agenda item.")
        data = DecideSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.decide_suggestion(by=request.user, item=item, **data.validated_data)
        return Response(AgendaItemSerializer(item).data)

    @extend_schema(request=AttendanceRowSerializer(many=True), responses=AttendanceSerializer(many=True))
    @action(detail=True, methods=["get", "post"])
    def attendance(self, request, network_slug, pk):
        """Read the attendance, or record rows of it (organisers)."""
        if request.method == "GET":
            meeting = self.get_object()
            records = meeting.attendance.select_related("organisation", "person")
            return Response(AttendanceSerializer(records, many=True).data)
        meeting = self._managed()
        data = AttendanceRowSerializer(data=request.data, many=True)
        data.is_valid(raise_exception=True)
        seats = {s["organisation"].acronym.lower(): s for s in services.expected_members(meeting)}
        rows = []
        for row in data.validated_data:
            seat = seats.get(row["organisation"].lower())
            if seat is None:
                raise serializers.ValidationError(
                    {"organisation": [f"{row['organisation']} does not sit here."]}
                )
            person = None
            if row.get("person"):
                person = next(
                    (p for p, _k in seat["people"].values() if p.email == row["person"].lower()), None
                )
                if person is None:
                    raise serializers.ValidationError(
                        {"person": [f"{row['person']} does not represent {row['organisation']} here."]}
                    )
            rows.append({**row, "organisation": seat["organisation"], "person": person})
        services.record_attendance(by=request.user, meeting=meeting, rows=rows)
        records = meeting.attendance.select_related("organisation", "person")
        return Response(AttendanceSerializer(records, many=True).data)

    def _minutes_versions(self, meeting):
        versions = meeting.minutes.select_related("corrects").prefetch_related("items").order_by("version")
        if not perms.can_manage_meeting(self.request.user, meeting):
            versions = versions.exclude(status=Minutes.Status.DRAFT)  # drafts are the organisers'
        return versions

    def _current_minutes(self, meeting) -> Minutes:
        minutes = services.current_minutes(meeting)
        if minutes is None:
            raise NotFound(_("This meeting has no minutes yet."))
        return minutes

    @extend_schema(responses=MinutesSerializer(many=True))
    @action(detail=True, methods=["get"])
    def minutes(self, request, network_slug, pk):
        """Every version of the minutes, oldest first (drafts for the organisers only)."""
        meeting = self.get_object()
        return Response(MinutesSerializer(self._minutes_versions(meeting), many=True).data)

    @extend_schema(request=MinutesCirculateSerializer, responses=MinutesSerializer)
    @action(detail=True, methods=["post"], url_path="minutes/circulate")
    def minutes_circulate(self, request, network_slug, pk):
        """Circulate the draft minutes for comments, by a no-objection deadline (organisers)."""
        meeting = self._managed()
        data = MinutesCirculateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        minutes = self._current_minutes(meeting)
        services.circulate_minutes(by=request.user, minutes=minutes, **data.validated_data)
        return Response(MinutesSerializer(minutes).data)

    @extend_schema(request=None, responses={201: MinutesSerializer})
    @action(detail=True, methods=["post"], url_path="minutes/revise")
    def minutes_revise(self, request, network_slug, pk):
        """Start a new draft version answering the comments on the circulated minutes (organisers);
        the circulated version is kept, with its comments, as revised."""
        meeting = self._managed()
        new = services.revise_minutes(by=request.user, minutes=self._current_minutes(meeting))
        return Response(MinutesSerializer(new).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={201: MinutesSerializer})
    @action(detail=True, methods=["post"], url_path="minutes/start")
    def minutes_start(self, request, network_slug, pk):
        """Start the draft minutes once the meeting has started: one section per item of the agenda
        (organisers)."""
        meeting = self._managed()
        minutes = services.start_minutes(by=request.user, meeting=meeting)
        return Response(MinutesSerializer(minutes).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=MinutesSaveSerializer, responses={200: MinutesSerializer, 409: MinutesConflictSerializer}
    )
    @action(detail=True, methods=["post"], url_path="minutes/save")
    def minutes_save(self, request, network_slug, pk):
        """Save the draft: the summary and the sections' notes, decisions and action points
        (organisers). Sent with the `revision` it started from: if someone saved since, nothing is
        saved and the answer is 409 with the version now saved; send yours again with its revision
        to replace it."""
        meeting = self._managed()
        data = MinutesSaveSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        minutes = self._current_minutes(meeting)
        try:
            services.save_minutes(
                by=request.user,
                minutes=minutes,
                revision=values["revision"],
                summary=values.get("summary"),
                items={item.pop("id"): item for item in values.get("items", [])},
            )
        except DjangoValidationError as exc:
            if not any(e.code == "stale" for e in getattr(exc, "error_list", [])):
                raise
            minutes.refresh_from_db()
            reason = _(
                "Someone else saved these minutes since revision %(yours)d; nothing was saved. The "
                "version now saved is in “minutes”: compare it with yours, then send yours again with "
                "revision %(saved)d to replace it."
            ) % {"yours": values["revision"], "saved": minutes.revision}
            body = {"detail": reason, "minutes": MinutesSerializer(minutes).data}
            return Response(body, status=status.HTTP_409_CONFLICT)
        return Response(MinutesSerializer(minutes).data)

    @extend_schema(methods=["GET"], request=None, responses=MinutesCommentSerializer(many=True))
    @extend_schema(
        methods=["POST"], request=MinutesCommentWriteSerializer, responses={201: MinutesCommentSerializer}
    )
    @action(detail=True, methods=["get", "post"], url_path="minutes/comments")
    def minutes_comments(self, request, network_slug, pk):
        """Read the comments on the minutes (organisers: everyone's, on every version; members: their
        own), or comment on the minutes circulated for comments (members of the body); a comment goes
        to the Secretariat."""
        meeting = self.get_object()
        if request.method == "GET":
            comments = MinutesComment.objects.filter(minutes__meeting=meeting).select_related(
                "minutes", "author"
            )
            if not perms.can_manage_meeting(request.user, meeting):
                comments = comments.filter(author=request.user)
            comments = comments.order_by("minutes__version", "created_at", "pk")
            return Response(MinutesCommentSerializer(comments, many=True).data)
        if not perms.can_suggest_agenda_item(request.user, meeting):
            raise PermissionDenied(
                _("Only members of %(body)s comment on its minutes.") % {"body": meeting.body}
            )
        data = MinutesCommentWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        minutes = perms.visible_minutes(request.user, meeting)
        if minutes is None:
            raise NotFound(_("This meeting has no minutes you can read yet."))
        comment = services.comment_on_minutes(by=request.user, minutes=minutes, **data.validated_data)
        return Response(MinutesCommentSerializer(comment).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=MinutesApproveSerializer, responses=MinutesSerializer)
    @action(detail=True, methods=["post"], url_path="minutes/approve")
    def minutes_approve(self, request, network_slug, pk):
        """Approve the circulated minutes (organisers): at a later meeting of the body once it is held
        (`at_meeting`), or without objection once the comment deadline has passed."""
        meeting = self._managed()
        data = MinutesApproveSerializer(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        minutes = self._current_minutes(meeting)
        services.approve_minutes(
            by=request.user,
            minutes=minutes,
            at_meeting=data.validated_data.get("at_meeting"),
            note=data.validated_data["note"],
        )
        return Response(MinutesSerializer(minutes).data)

    @extend_schema(request=None, responses=MinutesSerializer)
    @action(detail=True, methods=["post"], url_path="minutes/disseminate")
    def minutes_disseminate(self, request, network_slug, pk):
        """Send the approved minutes to the body's representatives, with the PDF in each one's
        language (organisers)."""
        meeting = self._managed()
        minutes = self._current_minutes(meeting)
        services.disseminate_minutes(by=request.user, minutes=minutes)
        return Response(MinutesSerializer(minutes).data)

    @extend_schema(request=None, responses={201: MinutesSerializer})
    @action(detail=True, methods=["post"], url_path="minutes/correct")
    def minutes_correct(self, request, network_slug, pk):
        """Start a new draft version correcting the approved minutes (organisers); the approved text
        stays as it was until the correction is approved."""
        meeting = self._managed()
        new = services.correct_minutes(by=request.user, minutes=self._current_minutes(meeting))
        return Response(MinutesSerializer(new).data, status=status.HTTP_201_CREATED)
