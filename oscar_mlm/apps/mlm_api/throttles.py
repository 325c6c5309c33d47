"""Rate limits of the API, read from ``OSCAR_MLM_API_*`` settings when a request comes.

DRF's own throttles read ``DEFAULT_THROTTLE_RATES`` once, at import; these read
our settings at use time (``override_settings`` and a running shop's settings
changes reach them). Failed voucher redemptions are limited as on the web
pages (``mlm_vouchers.throttle``: per session and IP).
"""

from rest_framework.throttling import UserRateThrottle

from oscar_mlm.conf import get_setting


class SettingRateThrottle(UserRateThrottle):
    setting = None

    def get_ident(self, request):
        # The client's address as the voucher throttle of the web pages sees it
        # (OSCAR_MLM_REVERSE_PROXIES), not DRF's NUM_PROXIES.
        from oscar_mlm.apps.mlm_vouchers.throttle import client_ip

        return client_ip(request)

    def __init__(self):
        # The rate is read per request in allow_request, not here at construction.
        pass

    def allow_request(self, request, view):
        self.rate = get_setting(self.setting)
        if not self.rate:
            return True
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)


class VoucherGenerateThrottle(SettingRateThrottle):
    """Code generation per user: ``OSCAR_MLM_API_VOUCHER_GENERATE_RATE`` (e.g. "20/hour")."""

    scope = "mlm_voucher_generate"
    setting = "OSCAR_MLM_API_VOUCHER_GENERATE_RATE"


class VoucherRedeemThrottle(SettingRateThrottle):
    """Redemption attempts per user or IP: ``OSCAR_MLM_API_VOUCHER_REDEEM_RATE``."""

    scope = "mlm_voucher_redeem"
    setting = "OSCAR_MLM_API_VOUCHER_REDEEM_RATE"


class SignupThrottle(SettingRateThrottle):
    """Sign-ups per IP: ``OSCAR_MLM_API_SIGNUP_RATE``."""

    scope = "mlm_signup"
    setting = "OSCAR_MLM_API_SIGNUP_RATE"
