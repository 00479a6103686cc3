"""A pytest plugin (`-p config.test_environment`), loaded before pytest-django reads the settings:
the test suite runs without DEBUG, like production, so it brings a secret key of its own."""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "convene-test-suite-key-not-for-production")
