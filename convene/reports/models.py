"""Periodic reports to the UNCT, the Government or the annual network meeting: generated from the
records for a period, narrated by the Secretariat, and issued as frozen, numbered versions."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from convene.core.models import TimeStampedModel
from convene.networks.models import Network

SECTIONS = [
    ("summary", _("Summary")),
    ("meetings", _("Meetings")),
    ("decisions", _("Decisions and their implementation")),
    ("workplan", _("Workplan and GCM coverage")),
    ("funding", _("Funding")),
    ("statements", _("Speaking with one voice")),
    ("outlook", _("Challenges and next steps")),
]


class Report(TimeStampedModel):
    class Audience(models.TextChoices):
        UNCT = "unct", _("UN Country Team")
        GOVERNMENT = "government", _("Government")
        ANNUAL_MEETING = "annual_meeting", _("Annual network meeting")

    class Period(models.TextChoices):
        QUARTER = "quarter", _("Quarter")
        HALF = "half", _("Half-year")
        YEAR = "year", _("Year")

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="reports")
    audience = models.CharField(_("audience"), max_length=20, choices=Audience.choices)
    period = models.CharField(_("period"), max_length=10, choices=Period.choices)
    start = models.DateField(_("from"))
    end = models.DateField(_("to"))
    title = models.CharField(_("title"), max_length=200)
    recipients = models.JSONField(_("recipients"), default=list, blank=True)
    narrative = models.JSONField(default=dict, blank=True, help_text=_("The Secretariat's text, by section."))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-end", "-id"]

    def __str__(self) -> str:
        return self.title


class ReportVersion(models.Model):
    """An issued report: the figures and text as they stood, never changed; re-issuing adds a version."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="versions")
    version = models.PositiveSmallIntegerField()
    issued_at = models.DateTimeField()
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    data = models.JSONField(help_text=_("The document as issued."))

    class Meta:
        ordering = ["report", "-version"]
        constraints = [models.UniqueConstraint(fields=["report", "version"], name="report_version_unique")]

    def __str__(self) -> str:
        return f"{self.report} v{self.version}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValidationError(_("An issued report cannot change; issue a new version."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("An issued report cannot be deleted."))
