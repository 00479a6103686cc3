"""Uploaded files, wherever the storage keeps them (the local disk, or an S3-compatible bucket that
every server shares): a file missing from the storage is a 404 for whoever asked, and a warning in
the log for whoever runs the servers, never a 500."""

import logging

from django.http import Http404

log = logging.getLogger(__name__)


class Missing(Http404):
    """The record names a file the storage does not have."""


def open_stored(field_file):
    """The stored file, open for reading."""
    name = field_file.name
    try:
        if name and field_file.storage.exists(name):
            return field_file.storage.open(name, "rb")
    except FileNotFoundError:
        pass  # removed between the check and the opening
    log.warning("Stored file %r is missing from %s", name, type(field_file.storage).__name__)
    raise Missing(name)


def read_stored(field_file) -> bytes:
    with open_stored(field_file) as f:
        return f.read()
