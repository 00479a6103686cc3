"""Reports: create one for a period and an audience, write its narrative, issue it as a frozen
version (PDF and Word) sent to its recipients; re-issuing adds a version and keeps the old ones."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from convene.accounts.models import User
from convene.core import release_status
from convene.core.audit import check_changeable, record_change, save_changes
from convene.core.dates import show_date
from convene.core.mail import Content, Message, Phrase, Recipient, queue_message
from convene.core.models import ChangeLog
from convene.networks.models import Network, Representative

from . import documents, figures
from .models import SECTIONS, Report, ReportVersion

CREATE = ChangeLog.Action.CREATE
REPORT_REASON = gettext_lazy(
    "You receive this because the Secretariat of %(network)s sends its reports to this address."
)


def period_dates(period: str, year: int, number: int = 1) -> tuple[datetime.date, datetime.date]:
    """The first and last day of quarter `number`, half-year `number` or the year."""
    months = {Report.Period.QUARTER: 3, Report.Period.HALF: 6, Report.Period.YEAR: 12}.get(period)
    if months is None:
        raise ValidationError({"period": _("Choose a quarter, a half-year or a year.")})
    count = 12 // months
    if not 1 <= number <= count:
        raise ValidationError({"number": _("There is no such part of the year.")})
    start = datetime.date(year, (number - 1) * months + 1, 1)
    following = datetime.date(year + (start.month + months > 12), (start.month + months - 1) % 12 + 1, 1)
    return start, following - datetime.timedelta(days=1)


def _clean_recipients(recipients) -> list[str]:
    cleaned = []
    for address in recipients:
        address = address.strip().lower()
        if not address:
            continue
        try:
            validate_email(address)
        except ValidationError as exc:
            raise ValidationError({"recipients": _("Not an e-mail address: %s") % address}) from exc
        if address not in cleaned:
            cleaned.append(address)
    return cleaned


@transaction.atomic
def create_report(
    *,
    by,
    network: Network,
    audience: str,
    period: str,
    year: int,
    number: int = 1,
    title: str = "",
    recipients=(),
) -> Report:
    start, end = period_dates(period, year, number)
    if audience not in Report.Audience.values:
        raise ValidationError({"audience": _("Choose the audience.")})
    label = {"quarter": f"Q{number} {year}", "half": f"H{number} {year}", "year": str(year)}[period]
    report = Report(
        network=network,
        audience=audience,
        period=period,
        start=start,
        end=end,
        title=title.strip()
        or _("%(network)s: report to the %(audience)s, %(period)s")
        % {"network": network, "audience": Report.Audience(audience).label, "period": label},
        recipients=_clean_recipients(recipients),
        created_by=by if getattr(by, "is_authenticated", False) else None,
    )
    report.full_clean()
    report.save()
    record_change(actor=by, obj=report, action=CREATE, network_id=network.pk)
    return report


@transaction.atomic
def update_report(*, by, report: Report, **fields) -> Report:
    """The title, the recipients and the narrative of each section; issued versions keep theirs."""
    check_changeable(fields, {"title", "recipients", "narrative"})
    if "recipients" in fields:
        fields["recipients"] = _clean_recipients(fields["recipients"])
    if "narrative" in fields:
        known = {key for key, _label in SECTIONS}
        fields["narrative"] = {
            k: v.strip() for k, v in fields["narrative"].items() if k in known and v.strip()
        }
    save_changes(report, by=by, network_id=report.network_id, fields=fields)
    return report


def preview(report: Report) -> dict:
    """The document as it would be issued now, from the live records."""
    data = figures.collect(report.network, report.start, report.end, report.network.today())
    return documents.document_data(report, data, version=None)


def _next_version(report: Report) -> int:
    return (report.versions.aggregate(m=Max("version"))["m"] or 0) + 1


def _issued_on(report: Report, now: datetime.datetime | None = None) -> str:
    return show_date(report.network.localtime(now))


def _recipients(report: Report) -> list[Recipient]:
    """The report's addresses, with the name and organisation of those known in the network."""
    names = dict(User.objects.filter(email__in=report.recipients).values_list("email", "full_name"))
    organisations: dict[str, list[str]] = {}
    seats = (
        Representative.objects.current(on=report.network.today())
        .filter(membership__body__network=report.network, person__email__in=report.recipients)
        .values_list("person__email", "membership__organisation__acronym")
        .order_by()  # not the model's ordering, which DISTINCT would keep apart
        .distinct()
    )
    for address, acronym in seats:
        organisations.setdefault(address, []).append(acronym)
    return [
        Recipient(a, names.get(a, ""), ", ".join(sorted(set(organisations.get(a, [])))))
        for a in report.recipients
    ]


def issue_message(
    report: Report, *, number: int | None = None, issued_at: datetime.datetime | None = None
) -> Message:
    """The e-mail that issuing sends (the PDF of the version attached), to whom: by default the
    next version, issued now, as the Secretariat sees it before issuing."""
    if not report.recipients:
        raise ValidationError({"recipients": _("Add the recipients before issuing the report.")})
    number = number or _next_version(report)
    network = report.network
    issued_on = network.localtime(issued_at).date()  # the day it is issued, on the network's clock
    return Message(
        topic="report",
        network=network,
        recipients=_recipients(report),
        reason=Phrase(REPORT_REASON, network=network),
        compose=lambda: Content(
            subject=_("%(title)s (version %(v)d)") % {"title": report.title, "v": number},
            text=_(
                "Dear colleagues,\n\nPlease find attached %(title)s, version %(v)d, issued on %(d)s."
                "\n\n%(network)s\n"
            )
            % {"title": report.title, "v": number, "d": show_date(issued_on), "network": network}
            + "\n"
            # A version can be released only once issued: the e-mail that issues it is internal.
            + f"{release_status.INTERNAL_MARKING}\n",
        ),
        attachment_names=[documents.file_name(report, number, "pdf")],
    )


def issued_document(report: Report, *, version: int, now: datetime.datetime) -> dict:
    """The version as issued: the document in the issuer's language, and the same document in every
    shipped language under "translations", so each reader downloads it in theirs and it never
    changes afterwards. Names and statuses in the figures are read in each language too."""
    today = report.network.today(now)

    def build() -> dict:
        data = figures.collect(report.network, report.start, report.end, today)
        return documents.document_data(report, data, version=version, issued=_issued_on(report, now))

    document = build()
    translations = {}
    for code, _name in settings.LANGUAGES:
        if code == document["lang"]:
            translations[code] = document
            continue
        with translation.override(code):
            translations[code] = build()
    return {**document, "translations": translations}


@transaction.atomic
def issue_report(*, by, report: Report) -> ReportVersion:
    """Freeze the report as it stands into a new version and send it to the recipients."""
    if not report.recipients:
        raise ValidationError({"recipients": _("Add the recipients before issuing the report.")})
    Report.objects.select_for_update().filter(pk=report.pk).first()  # one version number at a time
    number = _next_version(report)
    now = timezone.now()
    version = ReportVersion.objects.create(
        report=report,
        version=number,
        issued_at=now,
        issued_by=by if getattr(by, "is_authenticated", False) else None,
        data=issued_document(report, version=number, now=now),
    )
    record_change(
        actor=by,
        obj=version,
        action=CREATE,
        network_id=report.network_id,
        changes={"version": [None, number]},
    )
    message = issue_message(report, number=number, issued_at=now)
    message.attach = lambda: [
        (message.attachment_names[0], documents.pdf(documents.in_language(version.data)), "application/pdf")
    ]
    queue_message(message)
    return version
