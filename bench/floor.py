"""The floor: what any page costs at least. A signed-in request through the product's middleware,
one query of its own, a tiny template. Every page's time is reported as a multiple of it."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.template import engines

from convene.networks.models import Network

TEMPLATE = engines["django"].from_string("<!doctype html><title>Floor</title><p>{{ networks }} networks</p>")


@login_required
def floor(request):
    return HttpResponse(TEMPLATE.render({"networks": Network.objects.count()}, request))
