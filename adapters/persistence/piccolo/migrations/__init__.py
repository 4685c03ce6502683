"""Hand-written piccolo migrations, applied in ``ID`` order.

Each file is a frozen snapshot of one change: it never imports ``tables.py``, so
editing the tables later cannot rewrite history. Module names are prefixed with
the app name because piccolo's CLI imports them as top-level modules.
"""
