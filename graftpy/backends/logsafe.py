"""Keep secret values out of logs that third-party clients write.

botocore logs whole response bodies (secret values included) at DEBUG, and
urllib3/hvac log request lines. When graftpy runs with debugging on, the root
logger may be at DEBUG; these loggers are raised to WARNING unless the user
configured a level for them explicitly. Our own logger (``graftpy.backends``)
logs paths, status codes and timings, never values.
"""

from __future__ import annotations

import logging

CLIENT_LOGGERS = ("botocore", "boto3", "s3transfer", "urllib3", "requests", "hvac")


def quiet_client_loggers() -> None:
    for name in CLIENT_LOGGERS:
        logger = logging.getLogger(name)
        if logger.level == logging.NOTSET:
            logger.setLevel(logging.WARNING)
