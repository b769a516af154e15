"""PDF from HTML templates with WeasyPrint, embedding a subset of Noto Sans SC.

The machines have no CJK system font, so the font comes from the project's npm assets as
TrueType files (@expo-google-fonts/noto-sans-sc): one file per weight loads in a fraction
of a second, whereas fontsource's ~100 woff2 chunks cost ~11 s per process. WeasyPrint
embeds only the glyphs used.
"""

import atexit
import functools

from django.conf import settings
from django.template.loader import render_to_string

FONT_FILES = {
    "400": "400Regular/NotoSansSC_400Regular.ttf",
    "700": "700Bold/NotoSansSC_700Bold.ttf",
}


@functools.cache
def _fonts():
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    font_config = FontConfiguration()
    faces = "\n".join(
        f"@font-face {{ font-family: 'Noto Sans SC'; font-weight: {weight}; "
        f"src: url('{(settings.PDF_FONT_DIR / path).as_uri()}'); }}"
        for weight, path in FONT_FILES.items()
    )
    return font_config, CSS(string=faces, font_config=font_config)


# Release the cached fonts while the interpreter is still whole: WeasyPrint's cleanup
# fails noisily if it runs during interpreter shutdown.
atexit.register(_fonts.cache_clear)


def _fetcher(resources):
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class LocalOnlyFetcher(URLFetcher):
        """Generated documents never reach out: the bundled fonts, and what `resources`
        (a function of the URL giving (bytes, content type), or None) serves."""

        def __init__(self):
            super().__init__(allowed_protocols={"file"})

        def fetch(self, url, headers=None):
            found = resources(url) if resources is not None else None
            if found is not None:
                data, content_type = found
                return URLFetcherResponse(url, data, {"Content-Type": content_type})
            if url.startswith(settings.PDF_FONT_DIR.as_uri()):
                return super().fetch(url, headers)
            raise ValueError(f"refused to fetch {url}")

    return LocalOnlyFetcher()


def lay_out(template_name: str, context: dict, resources=None):
    """The laid-out WeasyPrint document: the slow half of making a PDF (for progress)."""
    from weasyprint import HTML

    font_config, font_css = _fonts()
    html = render_to_string(template_name, context)
    return HTML(string=html, url_fetcher=_fetcher(resources)).render(
        stylesheets=[font_css], font_config=font_config
    )


def render_pdf(template_name: str, context: dict, resources=None) -> bytes:
    return lay_out(template_name, context, resources).write_pdf()
