"""The second factor on every page, not only on the experts' own pages.

After django_otp.middleware.OTPMiddleware: a user for whom second_factor_required() holds
and whose session is not verified reaches only the pages needed to verify, set up or leave.
"""

from .access import is_verified, second_factor_redirect, second_factor_required

# Pages an unverified session may still open (view names).
OPEN_VIEWS = {
    "experts:setup",
    "experts:verify",
    "login",
    "logout",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
}


class SecondFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is not None and match.view_name in OPEN_VIEWS:
            return None
        user = request.user
        if user.is_authenticated and second_factor_required(user) and not is_verified(user):
            return second_factor_redirect(request)
        return None
