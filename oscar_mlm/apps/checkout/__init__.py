"""A thin fork of Oscar's ``checkout`` app (label ``checkout``): loyalty credit as a payment source.

Only ``PaymentDetailsView`` is replaced (Oscar loads it with ``get_class``);
every other checkout class falls back to Oscar's. Oscar's checkout has no
models, so the fork has no migrations. See docs/credit.rst.
"""
