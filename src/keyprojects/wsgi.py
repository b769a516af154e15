import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "keyprojects.settings")
application = get_wsgi_application()

# Load every view module now, then move what start-up made (~230,000 objects: Django, the
# URLconf's imports, SciPy, OR-Tools) out of the garbage collector's sight: otherwise each
# full collection walks them all, a 90–100 ms pause landing on some request every few dozen.
get_resolver().url_patterns  # noqa: B018 (loads them)
gc.collect()
gc.freeze()
