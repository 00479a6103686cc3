"""Documents a network shares: internal to the network (or restricted to a body) unless an agreed
release makes one public (`convene.core.release_status`)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from convene.core.models import TimeStampedModel
from convene.networks.models import Body, Network


class Document(TimeStampedModel):
    class Confidentiality(models.TextChoices):
        INTERNAL = "internal", _("Internal to the network")
        RESTRICTED = "restricted", _("Restricted to a body")

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("title"), max_length=300)
    file = models.FileField(_("file"), upload_to="documents/%Y/%m/")
    filename = models.CharField(max_length=255)
    content_type = models.CharField(max_length=120)
    size = models.PositiveIntegerField()
    confidentiality = models.CharField(
        _("confidentiality"), max_length=10, choices=Confidentiality.choices, default=Confidentiality.INTERNAL
    )
    body = models.ForeignKey(
        Body,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="documents",
        help_text=_("For a restricted document: the body whose members (and the Secretariat) may read it."),
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title
