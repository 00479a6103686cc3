"""Statements in pages: thin views over services.py and permissions.py."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from convene.core import release_status
from convene.core.documents import download
from convene.networks.models import Organisation
from convene.networks.permissions import access_for
from convene.networks.web import apply_service, network_view, run_or_report

from . import diffing, documents, forms, services
from . import permissions as perms
from .models import Clearance, Statement

statements_view = network_view(check=perms.can_view_statements)


def _to_statement(statement, query=""):
    response = redirect(
        "statements:statement", network_slug=statement.network.slug, statement_id=statement.pk
    )
    response["Location"] += query
    return response


def _delivery_organisations(statement, round):
    """Who may have delivered it: the agencies that signed it, else the seats of its clearance."""
    ids = [c.organisation_id for c in round.clearances.all()] if round else []
    return Organisation.objects.filter(pk__in=ids)


def _form_page(request, network, form, title, statement=None, template="statements/form.html"):
    return render(
        request,
        template,
        {"network": network, "form": form, "title": title, "statement": statement},
        status=422 if form.is_bound else 200,
    )


@statements_view
def statement_list(request, network):
    statements = (
        Statement.objects.filter(network=network).select_related("body").order_by("-created_at", "-id")
    )
    status = request.GET.get("status", "")
    if status in Statement.Status.values:
        statements = statements.filter(status=status)
    return render(
        request,
        "statements/statement_list.html",
        {
            "network": network,
            "statements": statements,
            "status": status,
            "statuses": Statement.Status.choices,
            "can_draft": perms.can_draft(request.user, network),
        },
    )


@statements_view
def statement_new(request, network):
    bodies = perms.drafting_bodies(request.user, network)
    if not bodies:
        raise PermissionDenied(_("Only the Secretariat and the co-chairs draft statements."))
    form = forms.StatementForm(request.POST or None, network=network, bodies=bodies)
    if request.method == "POST" and form.is_valid():
        statement = apply_service(
            form,
            lambda: services.draft_statement(by=request.user, network=network, **form.service_fields()),
        )
        if statement:
            messages.success(request, _("Statement drafted."))
            return _to_statement(statement)
    return _form_page(request, network, form, _("New statement"), template="statements/statement_form.html")


def _version_and_language(request, statement, versions):
    """The version asked for (?v=), else the latest; the language asked for (?lang=), else the
    reader's where the version has it, else its authoritative language."""
    version = versions[0] if versions else None
    wanted = request.GET.get("v", "")
    if wanted:
        version = next((v for v in versions if str(v.number) == wanted), None)
        if version is None:
            raise Http404(_("No such version."))
    if version is None:
        return None, ""
    language = request.GET.get("lang") or request.LANGUAGE_CODE
    if language not in version.texts:
        language = request.LANGUAGE_CODE if request.LANGUAGE_CODE in version.texts else ""
    return version, language or version.authoritative_language


def _detail_context(request, network, statement, **forms_given):
    user = request.user
    versions = list(statement.versions.select_related("created_by").order_by("-number"))
    version, language = _version_and_language(request, statement, versions)
    round = services.last_round(statement)
    clearances = list(round.clearances.select_related("organisation", "answered_by")) if round else []
    if round:
        round._prefetched_objects_cache = {"clearances": clearances}
    manage = perms.can_manage_statement(user, statement)
    paragraphs = version.paragraphs(language) if version else []
    comments = {}
    if version:
        for c in version.comments.filter(language=language).select_related("author", "organisation"):
            comments.setdefault(c.paragraph, []).append(c)
    member = perms.can_view_statements(user, network)
    context = {
        "network": network,
        "statement": statement,
        "version": version,
        "latest": versions[0] if versions else None,
        "language": language,
        "text": version.text_in(language) if version else None,
        "paragraphs": [(i, p, comments.get(i, [])) for i, p in enumerate(paragraphs)],
        "versions": versions,
        "languages": [(code, dict(settings.LANGUAGES).get(code, code)) for code in version.languages]
        if version
        else [],
        "round": round,
        "clearances": clearances,
        "tally": [(a.label, n) for a, n in _tally(clearances)] if round else [],
        "signatory_line": services.signatory_line(statement, language or request.LANGUAGE_CODE)
        if statement.status == Statement.Status.ISSUED
        else "",
        "deliveries": statement.deliveries.select_related("organisation"),
        "state_consultations": list(statement.consultations.select_related("organisation"))
        if statement.concerns_state
        else [],
        "can_manage": manage,
        "can_comment": member and not statement.is_locked and version is not None,
        "comment_form": forms_given.get("comment_form") or forms.CommentForm(),
        "comment_paragraph": forms_given.get("comment_paragraph"),
    }
    if context["state_consultations"]:
        context["can_record_consultation"] = access_for(user, network).is_secretariat
    if (
        manage
        and statement.status in (Statement.Status.DRAFT, Statement.Status.NO_CONSENSUS)
        and not (round and round.is_open)
    ):
        context["round_form"] = forms_given.get("round_form") or forms.ClearanceRoundForm(
            network=network, statement=statement
        )
    if manage and statement.status == Statement.Status.NO_CONSENSUS and any(c.joins for c in clearances):
        context["can_speak_for_undersigned"] = True
    if manage and statement.status == Statement.Status.NO_CONSENSUS and round and round.body.escalates_to_id:
        # Kenya: a standing objection may be tabled to the UNCT, whose adoption lets it speak for all.
        context["can_table"] = not statement.tabled_id and any(c.answer == "objects" for c in clearances)
        context["can_follow_unct"] = bool(statement.tabled_id)
    if round and round.is_open and round.statement_id:
        mine = perms.answering_for(user, round)
        on_behalf = perms.can_record_on_behalf(user, network)
        if mine:
            context["answer_form"] = forms_given.get("answer_form") or forms.AnswerForm(
                organisations=Organisation.objects.filter(pk__in=[o.pk for o in mine])
            )
        if on_behalf:
            context["behalf_form"] = forms_given.get("behalf_form") or forms.AnswerForm(
                organisations=Organisation.objects.filter(pk__in=[c.organisation_id for c in clearances]),
                on_behalf=True,
                prefix="behalf",
            )
    if statement.status == Statement.Status.ISSUED:  # only an issued statement is released
        release_status.annotate(user, network, [statement])
    if statement.status == Statement.Status.CLEARED:
        signed = (
            {s.organisation_id for s in statement.sign_offs.filter(version=round.version)} if round else set()
        )
        context["signing"] = [o for o in perms.signing_for(user, statement) if o.pk not in signed]
        context["sign_offs"] = list(statement.sign_offs.select_related("organisation", "person"))
    elif statement.status == Statement.Status.ISSUED:
        context["sign_offs"] = list(statement.sign_offs.select_related("organisation", "person"))
    if perms.can_record_delivery(user, statement):
        context["delivery_form"] = forms_given.get("delivery_form") or forms.DeliveryForm(
            organisations=_delivery_organisations(statement, round),
            initial={"delivered_on": network.today()},
        )
    return context


def _tally(clearances):
    counts = {}
    for c in clearances:
        counts[c.answer] = counts.get(c.answer, 0) + 1
    return [(answer, counts[answer.value]) for answer in Clearance.Answer if counts.get(answer.value)]


@network_view(check=None)
def statement_detail(request, network, statement_id):
    statement = perms.get_statement_for_user(request.user, network, statement_id)
    context = _detail_context(request, network, statement)
    return render(request, "statements/statement_detail.html", context)


def _detail_with_errors(request, network, statement, **forms_given):
    context = _detail_context(request, network, statement, **forms_given)
    return render(request, "statements/statement_detail.html", context, status=422)


def _managed(request, network, statement_id):
    statement = perms.get_statement_for_user(request.user, network, statement_id)
    if not perms.can_manage_statement(request.user, statement):
        raise PermissionDenied(_("Only the Secretariat and the drafters manage a statement."))
    return statement


@network_view(check=None)
def statement_edit(request, network, statement_id):
    """The particulars: title, kind, audience, occasion, decision, GCM objectives (not the text)."""
    statement = perms.get_statement_for_user(request.user, network, statement_id)
    if statement.is_locked:
        raise PermissionDenied(_("An issued or withdrawn statement cannot be changed."))
    if not perms.can_manage_statement(request.user, statement):
        raise PermissionDenied(_("Only the Secretariat and the drafters manage a statement."))
    form = forms.StatementEditForm(request.POST or None, statement=statement)
    if (
        request.method == "POST"
        and form.is_valid()
        and apply_service(
            form,
            lambda: services.update_statement(by=request.user, statement=statement, **form.service_fields()),
        )
    ):
        messages.success(request, _("Statement saved."))
        return _to_statement(statement)
    return _form_page(request, network, form, _("Edit the statement"), statement)


@network_view(check=None)
def statement_revise(request, network, statement_id):
    statement = _managed(request, network, statement_id)
    version = services.latest_version(statement)
    form = forms.RevisionForm(request.POST or None, network=network, version=version)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        new = apply_service(
            form,
            lambda: services.revise_statement(
                by=request.user,
                statement=statement,
                texts=form.texts(),
                authoritative_language=data["authoritative_language"],
                editorial=data["editorial"],
                note=data["note"],
            ),
        )
        if new:
            messages.success(request, _("Version %(v)d saved.") % {"v": new.number})
            return _to_statement(statement)
    return _form_page(
        request,
        network,
        form,
        _("New version of “%(t)s”") % {"t": statement.title},
        statement,
        template="statements/statement_form.html",
    )


@require_POST
@network_view(check=None)
def statement_clearance(request, network, statement_id):
    statement = _managed(request, network, statement_id)
    form = forms.ClearanceRoundForm(request.POST, network=network, statement=statement)
    if form.is_valid():
        data = form.cleaned_data

        @transaction.atomic
        def put():
            if data.get("concerns_state") is not None:
                services.update_statement(
                    by=request.user, statement=statement, concerns_state=data["concerns_state"]
                )
            return services.put_to_clearance(
                by=request.user, statement=statement, procedure=data["procedure"], deadline=data["deadline"]
            )

        round = apply_service(form, put)
        if round:
            messages.success(request, _("Put to %(body)s for clearance.") % {"body": round.body.tr.name})
            return _to_statement(statement)
    return _detail_with_errors(request, network, statement, round_form=form)


@require_POST
@network_view(check=None)
def statement_answer(request, network, statement_id):
    statement = perms.get_statement_for_user(request.user, network, statement_id)
    round = services.open_round(statement)
    if round is None:
        messages.error(request, _("This clearance round is closed."))
        return _to_statement(statement)
    behalf = "behalf-organisation" in request.POST
    if behalf:
        if not perms.can_record_on_behalf(request.user, network):
            raise PermissionDenied(_("Only the Secretariat records an answer given by e-mail or phone."))
        allowed = Organisation.objects.filter(pk__in=round.clearances.values("organisation_id"))
        form = forms.AnswerForm(request.POST, organisations=allowed, on_behalf=True, prefix="behalf")
    else:
        mine = perms.answering_for(request.user, round)
        if not mine:
            raise PermissionDenied(_("You hold no seat in this clearance."))
        form = forms.AnswerForm(
            request.POST, organisations=Organisation.objects.filter(pk__in=[o.pk for o in mine])
        )
    if form.is_valid():
        data = form.cleaned_data
        seat = apply_service(
            form,
            lambda: services.answer_clearance(
                by=request.user,
                round=round,
                organisation=data["organisation"],
                answer=data["answer"],
                comment=data["comment"],
                channel=data.get("channel") or Clearance.Channel.DIRECT,
            ),
        )
        if seat:
            messages.success(request, _("Answer of %(org)s recorded.") % {"org": data["organisation"]})
            return _to_statement(statement)
    key = "behalf_form" if behalf else "answer_form"
    return _detail_with_errors(request, network, statement, **{key: form})


@require_POST
@network_view(check=None)
def statement_undersigned(request, network, statement_id):
    statement = _managed(request, network, statement_id)
    if run_or_report(request, lambda: services.speak_for_undersigned(by=request.user, statement=statement)):
        messages.success(request, _("It goes to sign-off in the name of the agencies that cleared it."))
    return _to_statement(statement)


@require_POST
@network_view(check=None)
def statement_table(request, network, statement_id):
    statement = _managed(request, network, statement_id)
    if run_or_report(request, lambda: services.table_statement(by=request.user, statement=statement)):
        messages.success(request, _("Tabled: the matter is now with the UNCT, in the decisions."))
    return _to_statement(statement)


@require_POST
@network_view(check=None)
def statement_follow_unct(request, network, statement_id):
    statement = _managed(request, network, statement_id)
    if run_or_report(request, lambda: services.speak_after_unct(by=request.user, statement=statement)):
        messages.success(request, _("The UNCT adopted it: it goes to sign-off in the name of the network."))
    return _to_statement(statement)


@require_POST
@network_view(check=None)
def statement_sign_off(request, network, statement_id):
    statement = perms.get_statement_for_user(request.user, network, statement_id)
    mine = {str(o.pk): o for o in perms.signing_for(request.user, statement)}
    organisation = mine.get(request.POST.get("organisation", ""))
    if organisation is None:
        raise PermissionDenied(_("You do not sign off this statement."))
    if run_or_report(
        request, lambda: services.sign_off(by=request.user, statement=statement, organisation=organisation)
    ):
        messages.success(request, _("Signed off for %(org)s.") % {"org": organisation})
    return _to_statement(statement)


@network_view(check=None)
def statement_withdraw(request, network, statement_id):
    statement = _managed(request, network, statement_id)
    form = forms.WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        reason = form.cleaned_data["reason"]
        if apply_service(
            form, lambda: services.withdraw_statement(by=request.user, statement=statement, reason=reason)
        ):
            messages.success(request, _("Statement withdrawn."))
            return _to_statement(statement)
    return _form_page(request, network, form, _("Withdraw the statement"), statement)


@require_POST
@network_view(check=None)
def statement_delivery(request, network, statement_id):
    statement = perms.get_statement_for_user(request.user, network, statement_id)
    if not perms.can_record_delivery(request.user, statement):
        raise PermissionDenied(_("Only the Secretariat and those who signed it record a delivery."))
    form = forms.DeliveryForm(
        request.POST, organisations=_delivery_organisations(statement, services.last_round(statement))
    )
    if form.is_valid() and apply_service(
        form, lambda: services.record_delivery(by=request.user, statement=statement, **form.cleaned_data)
    ):
        messages.success(request, _("Delivery recorded."))
        return _to_statement(statement)
    return _detail_with_errors(request, network, statement, delivery_form=form)


@require_POST
@network_view(check=None)
def statement_comment(request, network, statement_id):
    """A member's comment on one paragraph of the version shown."""
    statement = perms.get_statement_for_user(request.user, network, statement_id)
    if not perms.can_view_statements(request.user, network):
        raise PermissionDenied(_("Only members comment on a statement."))
    number = request.POST.get("version", "")
    version = statement.versions.filter(number=number).first() if number.isdigit() else None
    if version is None:
        raise Http404(_("No such version."))
    form = forms.CommentForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        organisations = [org for _body, org in request.access.organisations]
        organisation = Organisation.objects.filter(pk__in=organisations[:1]).first()
        comment = apply_service(
            form,
            lambda: services.comment_on_paragraph(
                by=request.user,
                version=version,
                language=data["language"],
                paragraph=data["paragraph"],
                text=data["text"],
                organisation=organisation,
            ),
        )
        if comment:
            messages.success(request, _("Comment added."))
            return _to_statement(
                statement, f"?v={version.number}&lang={comment.language}#p{comment.paragraph + 1}"
            )
    request.GET = request.GET.copy()
    request.GET["v"], request.GET["lang"] = str(version.number), request.POST.get("language", "")
    return _detail_with_errors(
        request, network, statement, comment_form=form, comment_paragraph=form.data.get("paragraph")
    )


@network_view(check=None)
def statement_compare(request, network, statement_id):
    """What changed from version A to version B, in one language (?a=&b=&lang=)."""
    statement = perms.get_statement_for_user(request.user, network, statement_id)
    versions = {v.number: v for v in statement.versions.select_related("created_by")}
    try:
        b = versions[int(request.GET.get("b") or max(versions))]
        a = versions[int(request.GET.get("a") or max(b.number - 1, 1))]
    except (KeyError, ValueError):
        raise Http404(_("No such version.")) from None
    languages = [code for code in b.languages if code in a.texts] or [b.authoritative_language]
    language = request.GET.get("lang", "")
    if language not in languages:
        language = request.LANGUAGE_CODE if request.LANGUAGE_CODE in languages else languages[0]
    names = dict(settings.LANGUAGES)
    return render(
        request,
        "statements/statement_compare.html",
        {
            "network": network,
            "statement": statement,
            "a": a,
            "b": b,
            "language": language,
            "languages": [(code, names.get(code, code)) for code in languages],
            "paragraphs": diffing.compare(a.text_in(language)["text"], b.text_in(language)["text"]),
            "title_a": a.text_in(language)["title"],
            "title_b": b.text_in(language)["title"],
        },
    )


@network_view(check=None)
def statement_document(request, network, statement_id, version, fmt):
    """A version in one of its languages (?lang=, else the authoritative one) as PDF or Word, on the
    network's letterhead."""
    statement = perms.get_statement_for_user(request.user, network, statement_id)
    shown = statement.versions.filter(number=version).first()
    if shown is None:
        raise Http404(_("No such version."))
    language = request.GET.get("lang") or shown.authoritative_language
    if language not in shown.texts:
        raise Http404(_("This version has no text in that language."))
    data = documents.statement_data(statement, shown, language)
    name = documents.file_name(statement, shown, language, fmt)
    if fmt == "pdf":
        return download(documents.pdf(data), name, "application/pdf")
    return download(documents.docx(data), name, documents.DOCX_TYPE)
