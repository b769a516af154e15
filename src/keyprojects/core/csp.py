"""Content-Security-Policy: only the site's own scripts, styles, fonts and images, no
inline script or style in markup, no framing. Everything the pages need is served from
the project's static files, so the policy costs nothing and stops injected markup from
running. Django's admin (extranet-only, staff-only) keeps inline style attributes.
"""

POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    # Bootstrap draws form and navbar icons as data: SVG images from its stylesheet.
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
    "base-uri": "'self'",
    "object-src": "'none'",
}
ADMIN_POLICY = {**POLICY, "style-src": "'self' 'unsafe-inline'"}


def header(policy: dict) -> str:
    return "; ".join(f"{name} {value}" for name, value in policy.items())


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.site, self.admin = header(POLICY), header(ADMIN_POLICY)

    def __call__(self, request):
        response = self.get_response(request)
        admin = request.path.startswith("/admin/")
        response.setdefault("Content-Security-Policy", self.admin if admin else self.site)
        return response
