"""Charters: a network's Terms of Reference as YAML, validated, loaded all-or-nothing, exported back.

Loading is an upsert by natural keys (network slug, body slug, organisation acronym, membership
body+organisation+role+start, rule key, representative e-mail), so loading the same file twice
changes nothing and `export` → `load` reproduces the same state. Loading never deletes: removing a
member is a decision taken in the product, with its own audit trail.
"""

import zoneinfo
from dataclasses import dataclass, field
from datetime import date

import yaml
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from convene.core.audit import diff, record_change, snapshot
from convene.core.models import ChangeLog
from convene.core.translation import split_texts

from .models import Body, Membership, Network, Organisation, Representative, Rule

User = get_user_model()

_slug = {"type": "string", "pattern": "^[a-z0-9]+(?:-[a-z0-9]+)*$", "maxLength": 50}
_date = {"type": "string", "format": "date"}
_text = {"type": "string"}
_language = {"enum": [code for code, _name in settings.LANGUAGES]}
# A text shown on pages: a string in the network's default language, or {language: text} with the
# default language's text required (checked in _check_texts, which names the line).
_prose = {"type": ["string", "object"], "additionalProperties": {"type": "string"}}
# Where the charter's prose is, and so where a text may be given in several languages.
PROSE = {
    "network": ("name", "short_name", "mission"),
    "bodies": ("name", "focus", "mandate"),
    "rules": ("title", "text"),
}


def _enum(choices) -> dict:
    return {"type": "string", "enum": [c for c in choices.values if c]}


_int = lambda low, high: {"type": "integer", "minimum": low, "maximum": high}  # noqa: E731
_flag = {"type": "boolean"}

# The parameters each kind of rule takes, and where they are read. A parameter nothing reads is a
# promise the product does not keep: it is refused here rather than loaded and ignored.
RULE_PARAMS: dict[str, dict] = {
    Rule.Kind.MEETING_FREQUENCY: {
        # meetings.reminders: how many days before a quarter ends the Secretariat is reminded.
        "remind_days_before": _int(1, 90),
        # meetings.monitoring: how many meetings were held with a UNCT meeting (Kazakhstan).
        "with_unct_preferred": _flag,
    },
    # meetings.monitoring: the annual meeting must invite stakeholders beyond the members.
    Rule.Kind.ANNUAL_MEETING: {"external_stakeholders": _flag},
    Rule.Kind.EXTRAORDINARY_MEETING: {},
    Rule.Kind.REPRESENTATION: {},
    # decisions.rules: numbering of the register; every member's position at a meeting.
    Rule.Kind.DECISION_MAKING: {
        "register_prefix": {"type": "string", "pattern": "^[A-Za-z]{1,10}$"},
        "consult_all_members": _flag,
    },
    # networks.monitoring (shown on the rule) and decisions: the wording of what is consulted on.
    Rule.Kind.CONSULTATION: {"scope": _text},
    Rule.Kind.MEMBERSHIP_APPROVAL: {},
    # charter.working_group_defaults: what a new working group starts with.
    Rule.Kind.WORKING_GROUPS: {"participation_level": _text, "external_partners": _flag},
    # networks.services (term of new working groups) and networks.monitoring (the warning).
    Rule.Kind.CO_CHAIR_ROTATION: {"term_months": _int(1, 60), "warn_days": _int(1, 365)},
    Rule.Kind.MEMBERS_LIST: {"interval_days": _int(1, 3650)},
    # workplans.monitoring and workplans.consultation.
    Rule.Kind.WORKPLAN: {"adopt_by_quarter": _int(1, 4), "consult_members": _flag, "sdg_targets": _flag},
    # reports.monitoring; the audiences are reports.models.Report.Audience.
    Rule.Kind.REPORTING: {
        "audiences": {
            "type": "array",
            "minItems": 1,
            "uniqueItems": True,
            "items": {"type": "string", "enum": ["unct", "government", "annual_meeting"]},
        },
        "interval_months": _int(1, 24),
    },
    Rule.Kind.MINUTES: {"agenda_days_before": _int(0, 60), "minutes_days_after": _int(1, 180)},
    Rule.Kind.CONFIDENTIALITY: {},
    # statements.rules: who signs off a cleared statement, how long a silence procedure runs; the
    # rule's authority is the body whose members clear (the plenary where it names none).
    Rule.Kind.STATEMENTS: {
        "sign_off": {"type": "string", "enum": ["co_chairs", "coordinator"]},
        "silence_hours": _int(24, 720),
    },
    # statements.monitoring: a statement or briefing delivered at least this often by the rule's body.
    Rule.Kind.BRIEFINGS: {"interval_months": _int(1, 24)},
}


def _params_schema(params: dict) -> dict:
    """A kind's parameters, plus `chosen_by_network`: those of them the ToR does not state."""
    properties = dict(params)
    if params:
        properties["chosen_by_network"] = {
            "type": "array",
            "uniqueItems": True,
            "items": {"type": "string", "enum": sorted(params)},
        }
    return {"type": "object", "additionalProperties": False, "properties": properties}


SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["network", "bodies"],
    "additionalProperties": False,
    "properties": {
        "network": {
            "type": "object",
            "required": ["slug", "name", "country", "timezone"],
            "additionalProperties": False,
            "properties": {
                "slug": _slug,
                "name": _prose,
                "short_name": _prose,
                "country": {"type": "string", "pattern": "^[A-Z]{2}$"},
                "timezone": _text,
                "language": _language,
                "languages": {"type": "array", "items": _language, "minItems": 1, "uniqueItems": True},
                # The Secretariat's mailbox (replies, RSVPs, the invitations' organiser); optional.
                "email": {"type": "string", "format": "email"},
                "mission": _prose,
            },
        },
        "charter": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "title": _text,
                "version": {"type": ["string", "number"]},
                "adopted_on": _date,
                "source": _text,
            },
        },
        "organisations": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["acronym", "name", "kind"],
                "additionalProperties": False,
                "properties": {
                    "acronym": _text,
                    "name": _text,
                    "kind": _enum(Organisation.Kind),
                    "country": {"type": "string", "pattern": "^([A-Z]{2})?$"},
                    "website": _text,
                    "aliases": {"type": "array", "items": _text},
                },
            },
        },
        "bodies": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["slug", "name", "kind"],
                "additionalProperties": False,
                "properties": {
                    "slug": _slug,
                    "name": _prose,
                    "kind": _enum(Body.Kind),
                    "permanence": _enum(Body.Permanence),
                    "focus": _prose,
                    "mandate": _prose,
                    "participation_level": _text,
                    "decision_method": _enum(Body.DecisionMethod),
                    "escalates_to": _slug,
                    "co_chair_term_months": {"type": "integer", "minimum": 1, "maximum": 60},
                    "external_partners_allowed": {"type": "boolean"},
                    "established_on": _date,
                    "abolished_on": _date,
                    "memberships": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["organisation"],
                            "additionalProperties": False,
                            "properties": {
                                "organisation": _text,
                                "role": _enum(Membership.Role),
                                "status": _enum(Membership.Status),
                                "start_date": _date,
                                "end_date": _date,
                                "note": _text,
                                "applied_on": _date,
                                "decided_on": _date,
                                "decided_by": _slug,
                                "decision_note": _text,
                                "representatives": {
                                    "type": "array",
                                    "items": {
                                        "type": "object",
                                        "required": ["email", "name"],
                                        "additionalProperties": False,
                                        "properties": {
                                            "email": {"type": "string", "format": "email"},
                                            "name": _text,
                                            "job_title": _text,
                                            "phone": _text,
                                            "kind": _enum(Representative.Kind),
                                            "participation_level": _text,
                                            "start_date": _date,
                                            "end_date": _date,
                                        },
                                    },
                                },
                            },
                        },
                    },
                },
            },
        },
        "rules": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["key", "kind", "title"],
                "additionalProperties": False,
                "properties": {
                    "key": _slug,
                    "kind": _enum(Rule.Kind),
                    "title": _prose,
                    "text": _prose,
                    "body": _slug,
                    "authority": _slug,
                    "organisation": _text,
                    "params": {"type": "object"},
                },
                # Each kind accepts exactly the parameters its code reads (below).
                "allOf": [
                    {
                        "if": {"properties": {"kind": {"const": kind}}},
                        "then": {"properties": {"params": _params_schema(params)}},
                    }
                    for kind, params in RULE_PARAMS.items()
                ],
            },
        },
    },
}


class CharterError(Exception):
    """A charter that cannot be loaded; `errors` lists every problem with its location."""

    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("\n".join(errors))


@dataclass
class LoadResult:
    network: Network
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    touched: list = field(default_factory=list)


# Parsing and validation ----------------------------------------------------------------------


def _line_map(text: str) -> dict[tuple, int]:
    """Map each YAML path (('bodies', 0, 'slug')) to its line number, for error messages."""
    lines: dict[tuple, int] = {}

    def walk(node, path):
        lines[path] = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                walk(value, (*path, key.value))
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                walk(item, (*path, i))

    try:
        root = yaml.compose(text, Loader=_YamlLoader)
    except yaml.YAMLError:
        return lines
    if root is not None:
        walk(root, ())
    return lines


def _where(path, lines) -> str:
    path = tuple(path)
    dotted = ".".join(str(p) for p in path) or "(top)"
    line = lines.get(path)
    while line is None and path:
        path = path[:-1]
        line = lines.get(path)
    return f"line {line}, {dotted}" if line else dotted


class _YamlLoader(yaml.SafeLoader):
    """Dates stay text (the schema checks them), so 2024-02-30 is an error message, not a crash."""


_YamlLoader.add_constructor("tag:yaml.org,2002:timestamp", yaml.SafeLoader.construct_scalar)


def parse(text: str) -> dict:
    """Parse and validate a charter; raises CharterError listing every problem found."""
    try:
        data = yaml.load(text, Loader=_YamlLoader)  # noqa: S506 (a SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        raise CharterError([f"{where}not valid YAML ({getattr(exc, 'problem', exc)})"]) from None
    if not isinstance(data, dict):
        raise CharterError(["(top): a charter is a mapping with `network` and `bodies`"])
    import jsonschema  # only charters are checked with it: 6 MiB a worker need not keep

    lines = _line_map(text)
    validator = jsonschema.Draft202012Validator(SCHEMA, format_checker=jsonschema.FormatChecker())
    errors = [
        f"{_where(e.absolute_path, lines)}: {e.message}"
        for e in sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.absolute_path)))
    ]
    if errors:
        raise CharterError(errors)
    errors = _check_texts(data, lines) + _check_references(data, lines)
    if errors:
        raise CharterError(errors)
    return data


def default_language(net: dict) -> str:
    """A charter's default language: `language`, else the first of `languages`, else English."""
    return net.get("language") or (net.get("languages") or ["en"])[0]


def _check_texts(data: dict, lines) -> list[str]:
    """Each text given in several languages: only shipped languages, and the default one's text."""
    shipped = [code for code, _name in settings.LANGUAGES]
    default = default_language(data["network"])
    places = [(("network",), data["network"], PROSE["network"])]
    places += [(("bodies", i), b, PROSE["bodies"]) for i, b in enumerate(data["bodies"])]
    places += [(("rules", i), r, PROSE["rules"]) for i, r in enumerate(data.get("rules", []))]
    errors = []
    for path, obj, fields in places:
        for name in fields:
            texts = obj.get(name)
            if not isinstance(texts, dict):
                continue
            for code in texts:
                if code not in shipped:
                    errors.append(
                        f"{_where((*path, name, code), lines)}: {code!r} is not a language Convene ships "
                        f"({', '.join(shipped)})"
                    )
            if not (texts.get(default) or "").strip():
                errors.append(
                    f"{_where((*path, name), lines)}: the text in the network's default language "
                    f"({default}) is required"
                )
    return errors


def _check_references(data: dict, lines) -> list[str]:
    """What a schema cannot say: references resolve, nothing twice, dates in order."""
    errors = []
    country = data["network"]["country"]
    net = data["network"]
    if net.get("languages") and net.get("language", net["languages"][0]) not in net["languages"]:
        errors.append(
            f"{_where(('network', 'language'), lines)}: the default language is not one of `languages`"
        )
    if net.get("email"):
        try:
            validate_email(net["email"])
        except ValidationError:
            errors.append(f"{_where(('network', 'email'), lines)}: not an e-mail address: {net['email']!r}")
    if data["network"]["timezone"] not in zoneinfo.available_timezones():
        errors.append(
            f"{_where(('network', 'timezone'), lines)}: unknown time zone {data['network']['timezone']!r}"
        )
    local = {o["acronym"].lower() for o in data.get("organisations", [])}
    known = _organisation_index(country)
    slugs = [b["slug"] for b in data["bodies"]]

    def org_known(name):
        return name.lower() in local or name.lower() in known

    def check_order(obj, path, start="start_date", end="end_date"):
        if obj.get(start) and obj.get(end) and obj[end] < obj[start]:
            errors.append(f"{_where((*path, end), lines)}: the end date is before the start date")

    for i, org in enumerate(data.get("organisations", [])):
        if [o["acronym"].lower() for o in data["organisations"]].count(org["acronym"].lower()) > 1:
            errors.append(
                f"{_where(('organisations', i), lines)}: organisation {org['acronym']} is listed twice"
            )
    for i, body in enumerate(data["bodies"]):
        path = ("bodies", i)
        if slugs.count(body["slug"]) > 1:
            errors.append(f"{_where((*path, 'slug'), lines)}: body slug {body['slug']!r} is used twice")
        if body.get("escalates_to") and body["escalates_to"] not in slugs:
            errors.append(f"{_where((*path, 'escalates_to'), lines)}: no body {body['escalates_to']!r}")
        check_order(body, path, "established_on", "abolished_on")
        seen = set()
        for j, m in enumerate(body.get("memberships", [])):
            mpath = (*path, "memberships", j)
            if not org_known(m["organisation"]):
                errors.append(
                    f"{_where((*mpath, 'organisation'), lines)}: unknown organisation {m['organisation']!r} "
                    "(add it under `organisations`)"
                )
            key = (m["organisation"].lower(), m.get("role", "member"), m.get("start_date"))
            if key in seen:
                errors.append(f"{_where(mpath, lines)}: {m['organisation']} is listed twice with this role")
            seen.add(key)
            if m.get("decided_by") and m["decided_by"] not in slugs:
                errors.append(f"{_where((*mpath, 'decided_by'), lines)}: no body {m['decided_by']!r}")
            check_order(m, mpath)
            emails = [r["email"].lower() for r in m.get("representatives", [])]
            for k, rep in enumerate(m.get("representatives", [])):
                rpath = (*mpath, "representatives", k)
                if emails.count(rep["email"].lower()) > 1:
                    errors.append(f"{_where(rpath, lines)}: {rep['email']} is listed twice")
                if m.get("status", "active") not in ("active", "ended"):
                    errors.append(
                        f"{_where(rpath, lines)}: {m['organisation']} is not a member (status "
                        f"{m.get('status')}), so it has no representatives"
                    )
                check_order(rep, rpath)
    keys = [r["key"] for r in data.get("rules", [])]
    for i, rule in enumerate(data.get("rules", [])):
        path = ("rules", i)
        if keys.count(rule["key"]) > 1:
            errors.append(f"{_where((*path, 'key'), lines)}: rule key {rule['key']!r} is used twice")
        for ref in ("body", "authority"):
            if rule.get(ref) and rule[ref] not in slugs:
                errors.append(f"{_where((*path, ref), lines)}: no body {rule[ref]!r}")
        if rule.get("organisation") and not org_known(rule["organisation"]):
            errors.append(
                f"{_where((*path, 'organisation'), lines)}: unknown organisation {rule['organisation']!r}"
            )
    return errors


def _organisation_index(country: str) -> dict[str, Organisation]:
    """Organisations a charter of `country` may name, by lower-cased acronym and alias."""
    index = {}
    for org in Organisation.objects.filter(country__in=["", country]):
        for name in [*org.aliases, org.acronym]:  # the acronym wins over an alias
            index[name.lower()] = org
    return index


# Loading -------------------------------------------------------------------------------------


class _Loader:
    def __init__(self):
        self.created = self.updated = self.unchanged = 0

    def upsert(self, model, lookup: dict, values: dict, network_id):
        obj = model.objects.filter(**lookup).first()
        if obj is None:
            obj = model(**{**lookup, **values})
            obj.full_clean()
            obj.save()
            record_change(actor=None, obj=obj, action=ChangeLog.Action.CREATE, network_id=network_id)
            self.created += 1
            return obj
        before = snapshot(obj, list(values))
        for k, v in values.items():
            setattr(obj, k, v)
        changes = diff(before, snapshot(obj, list(values)))
        if changes:
            obj.full_clean()
            obj.save()
            record_change(
                actor=None, obj=obj, action=ChangeLog.Action.UPDATE, network_id=network_id, changes=changes
            )
            self.updated += 1
        else:
            self.unchanged += 1
        return obj


def _d(value):
    return date.fromisoformat(value) if value else None


def _texts(obj: dict, fields: tuple[str, ...], language: str) -> dict:
    """The prose fields of a charter entry, each stored in the default language, and `translations`
    ({field: {language: text}}) for those given in several languages."""
    values, translations = {}, {}
    for name in fields:
        values[name], texts = split_texts(obj.get(name, ""), language)
        if texts:
            translations[name] = texts
    return {**values, "translations": translations}


@transaction.atomic
def load(text: str) -> LoadResult:
    """Validate then load a charter in one transaction: all of it, or nothing."""
    from convene.core.audit import audit_source

    data = parse(text)
    loader = _Loader()
    with audit_source(ChangeLog.Source.COMMAND):
        net = data["network"]
        charter = data.get("charter", {})
        language = default_language(net)
        network = loader.upsert(
            Network,
            {"slug": net["slug"]},
            {
                **_texts(net, PROSE["network"], language),
                "country": net["country"],
                "timezone": net["timezone"],
                "language": language,
                "languages": net.get("languages") or [net.get("language", "en")],
                "email": net.get("email", ""),
                "charter_title": charter.get("title", "Terms of Reference"),
                "charter_version": str(charter.get("version", "")),
                "charter_adopted_on": _d(charter.get("adopted_on")),
                "charter_source": charter.get("source", ""),
            },
            None,
        )
        nid = network.pk
        for org in data.get("organisations", []):
            existing = Organisation.objects.filter(
                acronym__iexact=org["acronym"], country=org.get("country", "")
            ).first()
            values = {
                "name": org["name"],
                "kind": org["kind"],
                "website": org.get("website", ""),
                "aliases": org.get("aliases", []),
            }
            loader.upsert(
                Organisation,
                {
                    "acronym": existing.acronym if existing else org["acronym"],
                    "country": org.get("country", ""),
                },
                values,
                nid,
            )
        orgs = _organisation_index(network.country)
        bodies = {}
        for order, b in enumerate(data["bodies"]):
            bodies[b["slug"]] = loader.upsert(
                Body,
                {"network": network, "slug": b["slug"]},
                {
                    **_texts(b, PROSE["bodies"], language),
                    "kind": b["kind"],
                    "permanence": b.get("permanence", Body.Permanence.PERMANENT),
                    "participation_level": b.get("participation_level", ""),
                    "decision_method": b.get("decision_method", ""),
                    "co_chair_term_months": b.get("co_chair_term_months"),
                    "external_partners_allowed": b.get("external_partners_allowed", False),
                    "established_on": _d(b.get("established_on")),
                    "abolished_on": _d(b.get("abolished_on")),
                    "order": order,
                },
                nid,
            )
        for b in data["bodies"]:
            body = bodies[b["slug"]]
            escalates = bodies.get(b.get("escalates_to")) if b.get("escalates_to") else None
            loader.upsert(Body, {"pk": body.pk}, {"escalates_to": escalates}, nid)
            for m in b.get("memberships", []):
                org = orgs[m["organisation"].lower()]
                role = m.get("role", Membership.Role.MEMBER)
                status = m.get("status", Membership.Status.ACTIVE)
                lookup = {
                    "body": body,
                    "organisation": org,
                    "role": role,
                    "start_date": _d(m.get("start_date")),
                }
                if status in ("applied", "active"):
                    # An open membership is unique whatever its start date.
                    current = Membership.objects.filter(
                        body=body, organisation=org, role=role, status__in=["applied", "active"]
                    ).first()
                    if current:
                        lookup = {"pk": current.pk}
                membership = loader.upsert(
                    Membership,
                    lookup,
                    {
                        "status": status,
                        "start_date": _d(m.get("start_date")),
                        "end_date": _d(m.get("end_date")),
                        "note": m.get("note", ""),
                        "applied_on": _d(m.get("applied_on")),
                        "decided_on": _d(m.get("decided_on")),
                        "decided_by": bodies.get(m["decided_by"]) if m.get("decided_by") else None,
                        "decision_note": m.get("decision_note", ""),
                    },
                    nid,
                )
                for r in m.get("representatives", []):
                    person = User.objects.filter(email__iexact=r["email"]).first()
                    person_values = {
                        "full_name": r["name"],
                        "job_title": r.get("job_title", ""),
                        "phone": r.get("phone", ""),
                    }
                    if person is None:
                        person = User.objects.create_user(email=r["email"], **person_values)
                        record_change(
                            actor=None,
                            obj=person,
                            action=ChangeLog.Action.CREATE,
                            network_id=nid,
                            changes={"email": [None, person.email]},
                        )
                        loader.created += 1
                    else:
                        loader.upsert(User, {"pk": person.pk}, person_values, nid)
                    loader.upsert(
                        Representative,
                        {"membership": membership, "person": person},
                        {
                            "kind": r.get("kind", Representative.Kind.PRINCIPAL),
                            "participation_level": r.get("participation_level", ""),
                            "start_date": _d(r.get("start_date")),
                            "end_date": _d(r.get("end_date")),
                        },
                        nid,
                    )
        for order, r in enumerate(data.get("rules", [])):
            loader.upsert(
                Rule,
                {"network": network, "key": r["key"]},
                {
                    **_texts(r, PROSE["rules"], language),
                    "kind": r["kind"],
                    "body": bodies.get(r["body"]) if r.get("body") else None,
                    "authority": bodies.get(r["authority"]) if r.get("authority") else None,
                    "organisation": orgs[r["organisation"].lower()] if r.get("organisation") else None,
                    "params": r.get("params", {}),
                    "order": order,
                },
                nid,
            )
    return LoadResult(
        network=network, created=loader.created, updated=loader.updated, unchanged=loader.unchanged
    )


def working_group_defaults(network: Network) -> dict:
    """What a new working group starts with, as the charter's working-group rule says: the
    participation level it names (Kenya's TWGs: programme managers), whether external partners may
    take part. (The co-chair term is filled in by the service from the co-chair rule.)"""
    rule = network.rules.filter(kind=Rule.Kind.WORKING_GROUPS).first()
    if rule is None:
        return {}
    params = rule.params or {}
    defaults = {"external_partners_allowed": bool(params.get("external_partners"))}
    if params.get("participation_level"):
        defaults["participation_level"] = params["participation_level"]
    return defaults


# Export --------------------------------------------------------------------------------------


def _compact(d: dict) -> dict:
    """Drop empty values so an exported charter reads like a hand-written one."""
    return {k: v for k, v in d.items() if v not in (None, "", [], {}, False)}


def _iso(value):
    return value.isoformat() if value else None


def _prose_out(obj, network: Network) -> dict:
    """An entry's prose fields as the charter writes them: the stored string, or the mapping it was
    loaded from, in the network's languages' order (a database may not keep the keys' order)."""
    order = [*network.languages, *(code for code, _name in settings.LANGUAGES)]
    out = {}
    for name in obj.TRANSLATED_FIELDS:
        texts = (obj.translations or {}).get(name)
        if texts:
            out[name] = {code: texts[code] for code in dict.fromkeys(order) if code in texts}
        else:
            out[name] = getattr(obj, name)
    return out


def to_dict(network: Network) -> dict:
    bodies = list(network.bodies.select_related("escalates_to").order_by("order", "pk"))
    memberships = (
        Membership.objects.filter(body__network=network)
        .select_related("organisation", "decided_by")
        .prefetch_related("representatives__person")
        .order_by("body__order", "pk")
    )
    by_body: dict[int, list] = {}
    for m in memberships:
        by_body.setdefault(m.body_id, []).append(m)
    named = {m.organisation for ms in by_body.values() for m in ms}
    named |= {r.organisation for r in network.rules.select_related("organisation") if r.organisation}
    local_orgs = sorted((o for o in named if o.country), key=lambda o: o.acronym)
    texts = _prose_out(network, network)
    data = {
        "network": _compact(
            {
                "slug": network.slug,
                "name": texts["name"],
                "short_name": texts["short_name"],
                "country": network.country,
                "timezone": network.timezone,
                "language": network.language,
                "languages": network.languages,
                "email": network.email,
                "mission": texts["mission"],
            }
        ),
        "charter": _compact(
            {
                "title": network.charter_title,
                "version": network.charter_version,
                "adopted_on": _iso(network.charter_adopted_on),
                "source": network.charter_source,
            }
        ),
        "organisations": [
            _compact(
                {
                    "acronym": o.acronym,
                    "name": o.name,
                    "kind": o.kind,
                    "country": o.country,
                    "website": o.website,
                    "aliases": o.aliases,
                }
            )
            for o in local_orgs
        ],
        "bodies": [],
        "rules": [],
    }
    for body in bodies:
        texts = _prose_out(body, network)
        entry = _compact(
            {
                "slug": body.slug,
                "name": texts["name"],
                "kind": body.kind,
                "permanence": body.permanence if body.permanence != Body.Permanence.PERMANENT else None,
                "focus": texts["focus"],
                "mandate": texts["mandate"],
                "participation_level": body.participation_level,
                "decision_method": body.decision_method,
                "escalates_to": body.escalates_to.slug if body.escalates_to else None,
                "co_chair_term_months": body.co_chair_term_months,
                "external_partners_allowed": body.external_partners_allowed,
                "established_on": _iso(body.established_on),
                "abolished_on": _iso(body.abolished_on),
            }
        )
        entry["memberships"] = [
            _compact(
                {
                    "organisation": m.organisation.acronym,
                    "role": m.role if m.role != Membership.Role.MEMBER else None,
                    "status": m.status if m.status != Membership.Status.ACTIVE else None,
                    "start_date": _iso(m.start_date),
                    "end_date": _iso(m.end_date),
                    "note": m.note,
                    "applied_on": _iso(m.applied_on),
                    "decided_on": _iso(m.decided_on),
                    "decided_by": m.decided_by.slug if m.decided_by else None,
                    "decision_note": m.decision_note,
                    "representatives": [
                        _compact(
                            {
                                "email": r.person.email,
                                "name": r.person.full_name,
                                "job_title": r.person.job_title,
                                "phone": r.person.phone,
                                "kind": r.kind,
                                "participation_level": r.participation_level,
                                "start_date": _iso(r.start_date),
                                "end_date": _iso(r.end_date),
                            }
                        )
                        for r in m.representatives.all()
                    ],
                }
            )
            for m in by_body.get(body.pk, [])
        ]
        if not entry["memberships"]:
            del entry["memberships"]
        data["bodies"].append(entry)
    for rule in network.rules.select_related("body", "authority", "organisation"):
        data["rules"].append(
            _compact(
                {
                    "key": rule.key,
                    "kind": rule.kind,
                    **_prose_out(rule, network),
                    "body": rule.body.slug if rule.body else None,
                    "authority": rule.authority.slug if rule.authority else None,
                    "organisation": rule.organisation.acronym if rule.organisation else None,
                    "params": rule.params,
                }
            )
        )
    return _compact(data)


class _Dumper(yaml.SafeDumper):
    pass


def _str_presenter(dumper, value):
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str_presenter)


def export(network: Network) -> str:
    return yaml.dump(to_dict(network), Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)
