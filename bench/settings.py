"""The benchmark's deployment: the product's settings, plus the floor page (bench/floor.py)."""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
