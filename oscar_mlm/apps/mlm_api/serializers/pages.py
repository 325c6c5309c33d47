"""The shape of a keyset-paginated list, for the schema: ``next``, ``previous``, ``results``."""

from rest_framework import serializers

_pages = {}


def page_of(serializer_class):
    """A serializer class for one page of ``serializer_class`` rows (one per row type)."""
    name = serializer_class.__name__.removesuffix("Serializer") + "PageSerializer"
    if name not in _pages:
        _pages[name] = type(
            name,
            (serializers.Serializer,),
            {
                "__module__": __name__,
                "__doc__": "One page; follow `next` for the following rows (null: the last).",
                "next": serializers.URLField(allow_null=True),
                "previous": serializers.URLField(allow_null=True),
                "results": serializer_class(many=True),
            },
        )
    return _pages[name]
