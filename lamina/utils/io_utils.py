"""``print_msg``: where progress and training messages go, per ``config.is_interactive_logging_enabled()``."""

from __future__ import annotations

import logging
import sys

from lamina import config

_logger = logging.getLogger("lamina")


def print_msg(message: str) -> None:
    """Write ``message`` as a line to stdout, or to the ``lamina`` logger (level INFO) after
    ``config.disable_interactive_logging()``."""
    if config.is_interactive_logging_enabled():
        sys.stdout.write(message + "\n")
        sys.stdout.flush()
    else:
        _logger.info(message)
