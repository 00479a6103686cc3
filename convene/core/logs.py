"""Every log line carries the id of the request it belongs to ("-" outside a request: the worker,
commands), so one request can be followed across the load balancer, the web server and the logs."""

import contextvars
import logging
import re
import uuid

from django.core.signals import request_finished

request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")
# An id the proxy in front sends is kept when it is a plain token, never arbitrary text in the logs.
GIVEN_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")


class RequestIdMiddleware:
    """The request's id: the one the proxy in front sent (X-Request-ID), or a new one; it is in
    every log line of the request and in the response's X-Request-ID header."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get("X-Request-ID", "")
        request.id = given if GIVEN_ID.fullmatch(given) else uuid.uuid4().hex
        # Kept until the response is finished: Django logs an error response after the middleware.
        request_id.set(request.id)
        response = self.get_response(request)
        response["X-Request-ID"] = request.id
        return response


def _forget_request_id(**kwargs) -> None:
    request_id.set("-")


request_finished.connect(_forget_request_id, dispatch_uid="convene.core.logs")


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get()
        return True
