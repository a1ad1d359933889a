"""A stateful simulator of the Cloudflare R2 Super Slurper API (openapi/slurper.yaml).

`create_app(SlurperSettings(...))` builds the Starlette app; `python -m mock_server slurper` serves it
(its `PROFILE`, `mock_server.slurper.cli`).
"""

from mock_server.slurper.app import create_app
from mock_server.slurper.cli import PROFILE
from mock_server.slurper.settings import SlurperSettings

__all__ = ["PROFILE", "SlurperSettings", "create_app"]
