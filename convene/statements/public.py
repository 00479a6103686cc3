"""The public page of each network (`/p/<network>/`), without sign-in: the mission, the member
agencies and structure, and what the network agreed to release; an Atom feed of the releases.
Only released records are reachable from here; everything else stays behind sign-in."""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.contrib.syndication.views import Feed
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers

from convene.core import fragments
from convene.core.documents import download
from convene.decisions.models import Decision
from convene.networks.models import Body, Membership, Network

from . import releases, services
from .models import Release, Statement

PUBLIC_BODIES = (Body.Kind.PLENARY, Body.Kind.EXECUTIVE, Body.Kind.CO_CHAIRS, Body.Kind.SECRETARIAT)
PUBLIC_ROLES = (Membership.Role.MEMBER, Membership.Role.CO_CHAIR, Membership.Role.COORDINATOR)


def _decorate(view):
    """No sign-in, reading only; cacheable by browsers and proxies for five minutes, per language."""
    view = require_safe(vary_on_headers("Accept-Language", "Cookie")(view))
    return login_not_required(cache_control(public=True, max_age=300)(view))


def get_network(slug: str) -> Network:
    return get_object_or_404(Network, slug=slug)


def structure(network: Network) -> list[tuple[Body, list]]:
    """The network's standing bodies and the organisations in them (no people, no working groups:
    those are the network's own business). Two queries."""
    bodies = list(network.bodies.filter(kind__in=PUBLIC_BODIES).order_by("id"))
    seats: dict[int, dict] = {b.pk: {} for b in bodies}
    memberships = (
        Membership.objects.current(on=network.today())
        .filter(body__in=bodies, role__in=PUBLIC_ROLES)
        .select_related("organisation")
        .order_by("organisation__acronym")
    )
    for m in memberships:
        seats[m.body_id].setdefault(m.organisation_id, (m.organisation, m.role))
    return [(b, list(seats[b.pk].values())) for b in bodies]


@_decorate
def public_page(request, network_slug):
    network = get_network(network_slug)

    def render_content() -> str:
        return render_to_string(
            "statements/_public_content.html",
            {
                "network": network,
                "structure": structure(network),
                "releases": [(r, releases.kind_label(r)) for r in releases.released(network)[:50]],
            },
        )

    # The same for every visitor until the network changes or its date does (memberships end).
    content = fragments.cached(network, "public-page", render_content, network.today())
    return render(request, "statements/public.html", {"network": network, "public": True, "content": content})


def get_released(network: Network, release_id: int) -> Release:
    """A release of the network that is released now; 404 for anything else."""
    release = Release.objects.filter(network=network, pk=release_id, status=Release.Status.RELEASED).first()
    if release is None or release.record is None:
        raise Http404(_("Nothing was released under this address."))
    release.network = network
    return release


def content(release: Release, language: str | None = None) -> dict:
    """What the public reads of a released record, in the reader's language (`language`, else the
    active one) where the record has it: its kind, whether it has a file and the languages that file
    is made in; a statement's text and signatory line, a decision's text."""
    record = release.record
    kind = releases.releasable(record)
    language = language or translation.get_language()
    found = {
        "record": record,
        "kind": kind.label,
        "has_file": kind.public_file is not None,
        "languages": kind.languages(record) if kind.languages else [],
        "language": None,
        "text": None,
        "paragraphs": [],
        "signatory_line": "",
    }
    if isinstance(record, Statement):
        version = services.issued_version(record)
        language = language if language in version.texts else version.authoritative_language
        found |= {
            "version": version,
            "language": language,
            "text": version.text_in(language),
            "paragraphs": version.paragraphs(language),
            "signatory_line": services.signatory_line(record, language),
        }
    elif isinstance(record, Decision):
        found["text"] = {"title": "", "text": record.text}
    return found


@_decorate
def public_release(request, network_slug, release_id):
    network = get_network(network_slug)
    release = get_released(network, release_id)
    context = {"network": network, "public": True, "release": release, **content(release)}
    return render(request, "statements/public_release.html", context)


@_decorate
def public_file(request, network_slug, release_id):
    """The record's file in the reader's language, or in the one `?lang=` names (a shipped one)."""
    network = get_network(network_slug)
    release = get_released(network, release_id)
    kind = releases.releasable(release.record)
    if kind.public_file is None:
        raise Http404(_("This record has no file."))
    language = request.GET.get("lang", "")
    if language not in dict(settings.LANGUAGES):
        language = translation.get_language()
    with translation.override(language):
        data, name, content_type = kind.public_file(release.record)
    return download(data, name, content_type)


class ReleaseFeed(Feed):
    """What the network released, newest first, as Atom."""

    feed_type = Atom1Feed

    def get_object(self, request, network_slug):
        return get_network(network_slug)

    def title(self, network):
        return network.tr.name

    def subtitle(self, network):
        return _("What %(network)s made public") % {"network": network.tr.name}

    def link(self, network):
        return reverse("statements:public", args=[network.slug])

    def items(self, network):
        return releases.released(network)[:50]

    def item_title(self, release):
        return release.title

    def item_description(self, release):
        return release.summary

    def item_link(self, release):
        return reverse("statements:public_release", args=[release.network.slug, release.pk])

    def item_pubdate(self, release):
        return release.released_at


feed = _decorate(ReleaseFeed())
