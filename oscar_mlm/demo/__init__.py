"""Demo and benchmark data: one generator for networks and orders.

Not an installed app and never imported by the runtime apps: the command
``manage.py mlm_demo_network``, the sandbox, the tests and every benchmark
(``benchmarks/*.py``) use it. See docs/development.rst ("Demo data").

- :mod:`.plan`: :class:`~.plan.NetworkPlan`, who sponsors whom (deterministic
  for a seed); :func:`~.plan.plan_network` is the demo network's shape.
- :mod:`.network`: :func:`~.network.write_network` writes a plan in bulk
  (``COPY`` on PostgreSQL), :func:`~.network.write_with_services` through the services.
- :mod:`.orders`: :func:`~.orders.generate_orders` writes Oscar orders and lines
  in bulk, and their volume records.
- :mod:`.build`: the demo data of ``mlm_demo_network`` (documented logins).
- :mod:`.bulk`: ``reserve_ids`` and ``insert``, the writer underneath.
"""
