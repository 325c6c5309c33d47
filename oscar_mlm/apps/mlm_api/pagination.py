"""Keyset pagination: every page continues after the last row of the one before, no OFFSET.

Querysets use DRF's own :class:`~rest_framework.pagination.CursorPagination`
(an opaque ``cursor`` parameter and ``next``/``previous`` links); the downline,
read by a recursive CTE with its levels, uses :class:`DownlinePagination` with
the same response shape. A cursor that is not one answers 400, not 404.
"""

import re

from django.utils.translation import gettext_lazy as _
from rest_framework import pagination
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from oscar_mlm.conf import get_setting
from oscar_mlm.parsing import parse_id

INVALID_CURSOR = _("This is not a page of this list: use the 'next' link of the last page.")


def page_size(request, query_param="limit"):
    """The page size asked for (``limit``), within ``OSCAR_MLM_API_MAX_PAGE_SIZE``."""
    default = int(get_setting("OSCAR_MLM_API_PAGE_SIZE"))
    most = int(get_setting("OSCAR_MLM_API_MAX_PAGE_SIZE"))
    raw = request.query_params.get(query_param)
    if raw in (None, ""):
        return default
    value = parse_id(raw)
    if value is None:
        raise ValidationError({query_param: [_("A whole number from 1 on.")]})
    return min(value, most)


class KeysetPagination(pagination.CursorPagination):
    """DRF's cursor pagination, newest first, page size read at use time."""

    ordering = "-pk"
    page_size_query_param = "limit"

    def get_page_size(self, request):
        return page_size(request, self.page_size_query_param)

    def decode_cursor(self, request):
        try:
            return super().decode_cursor(request)
        except NotFound:
            raise ValidationError({self.cursor_query_param: [INVALID_CURSOR]}) from None


class OldestFirstPagination(KeysetPagination):
    ordering = "pk"


CURSOR = re.compile(r"([0-9]{1,5})-([0-9]{1,19})")


class DownlinePagination:
    """``cursor`` = ``<level>-<member id>`` of the last row shown."""

    cursor_query_param = "cursor"

    def parse(self, request):
        self.request = request
        self.limit = page_size(request)
        raw = request.query_params.get(self.cursor_query_param)
        if raw in (None, ""):
            return None
        match = CURSOR.fullmatch(raw)
        if not match:
            raise ValidationError({self.cursor_query_param: [INVALID_CURSOR]})
        return int(match.group(1)), int(match.group(2))

    def response(self, rows, data):
        url = self.request.build_absolute_uri()
        if len(rows) > self.limit:
            last = rows[self.limit - 1]
            following = replace_query_param(url, self.cursor_query_param, f"{last.level}-{last.pk}")
        else:
            following = None
        return Response({"next": following, "previous": None, "results": data[: self.limit]})

    @staticmethod
    def first_page_url(url):
        return remove_query_param(url, "cursor")
