"""The OpenAPI schema: the bearer token, and the error answers every endpoint can give, in one place."""

from drf_spectacular import openapi
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers

DIGITS = r"^\d+$"

ERROR = {
    "type": "object",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}
# A 400 names each field with its reasons ({"title": ["…"]}), or gives one {"detail": "…"}; a list
# sent where a list is expected (attendance rows) is answered with one entry per row.
VALIDATION_ERROR = {
    "oneOf": [
        {"type": "object", "additionalProperties": {}},
        {"type": "array", "items": {}},
    ]
}

ERROR_RESPONSES = {
    "400": OpenApiResponse(VALIDATION_ERROR, description="Bad input, with the reason for each field."),
    "401": OpenApiResponse(ERROR, description="No valid token or session."),
    "403": OpenApiResponse(ERROR, description="Not allowed to do this here."),
    "404": OpenApiResponse(ERROR, description="No such network, or no such object in it that you can see."),
    "415": OpenApiResponse(ERROR, description="The body is not JSON, form data or multipart as documented."),
}


class AutoSchema(openapi.AutoSchema):
    """Documents the error answers next to each operation's own: 400 for bad input or filters, 401 and
    403 for who may ask, 404 for a network or object that is not there (or not visible)."""

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        for code in self._error_codes():
            if code not in responses:
                responses[code] = self._get_response_for_code(ERROR_RESPONSES[code], code)
        return responses

    def _resolve_path_parameters(self, variables):
        """An id the URL takes as digits only (`\\d+`) is documented as the integer it is."""
        parameters = super()._resolve_path_parameters(variables)
        for parameter in parameters:
            if parameter["schema"] == {"type": "string", "pattern": DIGITS}:
                parameter["schema"] = {"type": "integer", "minimum": 0}
        return parameters

    def _error_codes(self) -> list[str]:
        codes = ["401", "403"]
        view = self.view
        if (
            self.method != "GET"
            or getattr(view, "filterset_class", None)
            or getattr(view, "filterset_fields", None)
        ):
            codes.append("400")  # a write's input, or a filter's value, can be refused
        if "{" in self.path:  # a network, a body or an object named in the path may not be found
            codes.append("404")
        if self.method in ("POST", "PUT", "PATCH"):
            codes.append("415")  # a body the parsers cannot read
        return codes

    def _get_paginator(self):
        """Only a list action pages its answer; other actions that answer a list give it whole."""
        if getattr(self.view, "action", "list") != "list":
            return None
        return super()._get_paginator()

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        """A link that may be left empty ("") is a URL or an empty string (read-only ones too: the
        model allows a blank)."""
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        if (
            isinstance(field, serializers.URLField)
            and schema.get("format") == "uri"
            and (field.allow_blank or field.read_only)
        ):
            schema = {"anyOf": [schema, {"type": "string", "maxLength": 0}]}
        return schema


class ApiTokenScheme(OpenApiAuthenticationExtension):
    """`Authorization: Bearer cvn_…`: a personal API token (Your account → API tokens)."""

    target_class = "convene.api.authentication.ApiTokenAuthentication"
    name = "bearerAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer", "description": self.__doc__}
