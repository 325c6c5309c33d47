"""A shop's fork of our checkout app, made the Oscar way, to plug in its payment provider.

Exactly what docs/credit.rst ("Your payment provider") tells a shop to write.
"""
