"""``{% tree_url tree "children" node.pk %}``: a link of a structure tree's node.

``tree`` is a :class:`~oscar_mlm.apps.mlm_backoffice.structure.TreeLinks`; without one
(the partner's own structure pages) the links go to the back office.
"""

from django import template

from oscar_mlm.apps.mlm_backoffice.structure import TreeLinks

register = template.Library()

KINDS = ("children", "member", "focus")


@register.simple_tag
def tree_url(tree, kind, pk, after=None):
    if kind not in KINDS:
        raise template.TemplateSyntaxError(f"tree_url: {kind!r} is not one of {KINDS}")
    links = tree if isinstance(tree, TreeLinks) else TreeLinks()
    if kind == "focus":
        return links.focus(pk, after)
    return getattr(links, kind)(pk)
