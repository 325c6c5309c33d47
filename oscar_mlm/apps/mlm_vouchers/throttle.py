"""Counting failed code entries per session and per IP, so codes cannot be guessed."""

from django.core.cache import cache

from oscar_mlm.conf import get_setting


def client_ip(request):
    """The visitor's address: REMOTE_ADDR, or behind ``OSCAR_MLM_REVERSE_PROXIES`` proxies
    the entry the outermost of them appended to X-Forwarded-For."""
    proxies = int(get_setting("OSCAR_MLM_REVERSE_PROXIES"))
    if proxies:
        hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        hops = [h for h in hops if h]
        if len(hops) >= proxies:
            return hops[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def _keys(request):
    keys = [f"mlm-voucher-fail:ip:{client_ip(request)}"]
    if request.session.session_key:
        keys.append(f"mlm-voucher-fail:s:{request.session.session_key}")
    return keys


def is_blocked(request):
    limit = int(get_setting("OSCAR_MLM_VOUCHER_MAX_FAILED_ATTEMPTS"))
    return any((cache.get(key) or 0) >= limit for key in _keys(request))


def record_failure(request):
    window = int(get_setting("OSCAR_MLM_VOUCHER_FAILED_WINDOW_SECONDS"))
    if not request.session.session_key:
        request.session.save()
    for key in _keys(request):
        if not cache.add(key, 1, window):
            try:
                cache.incr(key)
            except ValueError:
                cache.set(key, 1, window)
