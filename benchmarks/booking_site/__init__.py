"""Benchmark-only Django site for ``booking_load.py`` (not part of the product)."""
