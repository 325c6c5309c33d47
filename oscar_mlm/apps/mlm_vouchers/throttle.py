"""Counting failed code entries per session and per IP, so codes cannot be guessed."""

from django.core.cache import cache

from oscar_mlm.conf import get_setting


def _keys(request):
    keys = [f"mlm-voucher-fail:ip:{request.META.get('REMOTE_ADDR', '')}"]
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
