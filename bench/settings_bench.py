"""Settings of the HTTP benches: the product's own, plus two comparison views.

gunicorn runs with DJANGO_SETTINGS_MODULE=settings_bench and --pythonpath src,bench; the
database and the var directory come from the environment as usual (see bench/_server.py).
"""

from keyprojects.settings import *  # noqa: F403

ROOT_URLCONF = "urls_bench"
