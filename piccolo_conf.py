"""piccolo's configuration: ``DB`` from ``BUCKETLINK_DATABASE_URL`` (default
``sqlite:///bucketlink.sqlite``, or ``postgresql://user@host:port/db``) and
``APP_REGISTRY``.

The logic lives in ``adapters.persistence.piccolo.conf``: packaging copies this
file (an editable install too), so it should never need to change. Importing
``__getattr__`` makes ``piccolo_conf.DB`` a lookup (PEP 562), not a constant.
"""

from adapters.persistence.piccolo.conf import APP_REGISTRY, __getattr__

__all__ = ["APP_REGISTRY", "__getattr__"]
