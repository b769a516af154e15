from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "keyprojects.documents"
    verbose_name = _("文档")

    def ready(self):
        # Every app's listings.py registers the lists it exports (listings.py).
        from .listings import discover

        discover()
