"""The public API (`/api/v1/public/<network>/`): what the public page shows, for machines, without
sign-in: the network's profile and what it released. Reading only (GET, HEAD), cacheable for five
minutes per language like the page; anything not released is a 404, as there."""

from urllib.parse import urlencode

from django.http import Http404
from django.urls import reverse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, viewsets
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from convene.networks.api import LocalisedField
from convene.networks.models import Body, Membership, Network

from . import public, releases
from .models import Release

# Serializers -----------------------------------------------------------------------------------


class PublicSeatSerializer(serializers.Serializer):
    acronym = serializers.CharField(source="organisation.acronym")
    name = serializers.CharField(source="organisation.name")
    name_localised = LocalisedField(
        "name", source="organisation", help_text="In the language of the request."
    )
    role = serializers.ChoiceField(Membership.Role.choices, read_only=True)


class PublicBodySerializer(serializers.Serializer):
    slug = serializers.CharField(source="body.slug")
    kind = serializers.ChoiceField(Body.Kind.choices, source="body.kind", read_only=True)
    name = serializers.CharField(source="body.name")
    name_localised = LocalisedField("name", source="body", help_text="In the language of the request.")
    organisations = PublicSeatSerializer(many=True, help_text="Its member agencies (no people).")


class PublicNetworkSerializer(serializers.ModelSerializer):
    name_localised = LocalisedField("name", help_text="In the language of the request.")
    short_name_localised = LocalisedField("short_name", help_text="In the language of the request.")
    mission_localised = LocalisedField("mission", help_text="In the language of the request.")
    structure = serializers.SerializerMethodField(
        help_text="The plenary, the Executive Committee or co-chairs, the Coordinator and Secretariat."
    )
    page = serializers.SerializerMethodField(help_text="The public page.")
    feed = serializers.SerializerMethodField(help_text="What it released, as an Atom feed.")
    releases = serializers.SerializerMethodField(help_text="What it released, in this API.")

    class Meta:
        model = Network
        fields = [
            "slug", "name", "name_localised", "short_name", "short_name_localised", "country", "mission",
            "mission_localised", "structure", "page", "feed", "releases",
        ]  # fmt: skip
        read_only_fields = fields

    @extend_schema_field(PublicBodySerializer(many=True))
    def get_structure(self, network):
        bodies = [
            {"body": body, "organisations": [{"organisation": o, "role": role} for o, role in seats]}
            for body, seats in public.structure(network)
        ]
        return PublicBodySerializer(bodies, many=True).data

    def _url(self, name: str, *args) -> str:
        return self.context["request"].build_absolute_uri(reverse(name, args=args))

    def get_page(self, network) -> str:
        return self._url("statements:public", network.slug)

    def get_feed(self, network) -> str:
        return self._url("statements:public_feed", network.slug)

    def get_releases(self, network) -> str:
        return self._url("api:public-release-list", network.slug)


class PublicFileSerializer(serializers.Serializer):
    language = serializers.CharField(allow_null=True)
    url = serializers.URLField()


class PublicReleaseSerializer(serializers.ModelSerializer):
    kind = serializers.SerializerMethodField(help_text="The kind of record: `library.document`, …")
    kind_label = serializers.SerializerMethodField(help_text="The kind, in the language of the request.")
    released_on = serializers.SerializerMethodField(help_text="The network's local date it was made public.")
    url = serializers.SerializerMethodField(help_text="Its public page.")
    file_url = serializers.SerializerMethodField(
        help_text="Its file (PDF, or the document as uploaded), in the language of the request where "
        "it is made in several; none for a decision."
    )

    class Meta:
        model = Release
        fields = ["id", "title", "summary", "kind", "kind_label", "released_on", "url", "file_url"]
        read_only_fields = fields

    def get_kind(self, release) -> str:
        return f"{release.record_type.app_label}.{release.record_type.model}"

    def get_kind_label(self, release) -> str:
        return releases.kind_label(release)

    @extend_schema_field(serializers.DateField())
    def get_released_on(self, release):
        return release.network.today(release.released_at).isoformat()

    def _url(self, name: str, release: Release, **query) -> str:
        url = reverse(name, args=[release.network.slug, release.pk])
        return self.context["request"].build_absolute_uri(url + (f"?{urlencode(query)}" if query else ""))

    def get_url(self, release) -> str:
        return self._url("statements:public_release", release)

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_file_url(self, release):
        kind = releases.REGISTRY.get(release.record_type.model_class())
        return self._url("statements:public_file", release) if kind and kind.public_file else None


class PublicTextSerializer(serializers.Serializer):
    language = serializers.CharField(allow_null=True, help_text="A statement's: the reader's, else its own.")
    title = serializers.CharField(allow_blank=True)
    text = serializers.CharField(help_text="Paragraphs are separated by a blank line.")


class PublicReleaseDetailSerializer(PublicReleaseSerializer):
    text = serializers.SerializerMethodField(help_text="A statement's text, a decision's.")
    signatory_line = serializers.SerializerMethodField(help_text="A statement's: in whose name it speaks.")
    languages = serializers.SerializerMethodField(help_text="The languages its file is made in.")
    files = serializers.SerializerMethodField(help_text="Its file in each language it is made in.")

    class Meta(PublicReleaseSerializer.Meta):
        fields = [*PublicReleaseSerializer.Meta.fields, "text", "signatory_line", "languages", "files"]
        read_only_fields = fields

    def to_representation(self, release):
        self._public = public.content(release)  # what the public page shows of it, read once
        return super().to_representation(release)

    @extend_schema_field(PublicTextSerializer(allow_null=True))
    def get_text(self, release):
        if self._public["text"] is None:
            return None
        return {"language": self._public["language"], **self._public["text"]}

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_signatory_line(self, release):
        return self._public["signatory_line"] or None

    def get_languages(self, release) -> list[str]:
        return self._public["languages"]

    @extend_schema_field(PublicFileSerializer(many=True))
    def get_files(self, release):
        if not self._public["has_file"]:
            return []
        languages = self._public["languages"]
        if not languages:
            return [{"language": None, "url": self._url("statements:public_file", release)}]
        return [
            {"language": code, "url": self._url("statements:public_file", release, lang=code)}
            for code in languages
        ]


# Views -----------------------------------------------------------------------------------------


class PublicAPIMixin:
    """No sign-in (any credentials sent are ignored), reading only; a 200 is cacheable by browsers
    and proxies for five minutes, per language, like the public page."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    http_method_names = ["get", "head"]

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        try:
            self.network = public.get_network(kwargs["network_slug"])
        except Http404 as exc:
            raise NotFound(_("No such network.")) from exc

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if response.status_code == 200:
            patch_cache_control(response, public=True, max_age=300)
        patch_vary_headers(response, ("Accept-Language", "Cookie"))
        return response


class PublicNetworkView(PublicAPIMixin, APIView):
    """A network's public profile: its name, mission and member agencies, as its public page shows."""

    @extend_schema(responses=PublicNetworkSerializer)
    def get(self, request, network_slug):
        return Response(PublicNetworkSerializer(self.network, context={"request": request}).data)


class PublicReleaseViewSet(
    PublicAPIMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """What a network released, newest first: released records only."""

    serializer_class = PublicReleaseSerializer
    queryset = Release.objects.none()  # the network's released ones, in get_queryset; this names the model
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return releases.released(self.network)

    def get_serializer_class(self):
        return PublicReleaseDetailSerializer if self.action == "retrieve" else PublicReleaseSerializer

    def get_object(self) -> Release:
        try:
            return public.get_released(self.network, self.kwargs["pk"])
        except Http404 as exc:
            raise NotFound(_("Nothing was released under this address.")) from exc
