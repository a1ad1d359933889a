"""A stateful simulator of the RekoSearch jobs API (openapi/rekosearch.yaml).

`create_app(RekoSearchSettings(...))` builds the Starlette app; `python -m mock_server rekosearch` serves it
(its `PROFILE`, `mock_server.rekosearch.cli`).
"""

from mock_server.rekosearch.app import create_app
from mock_server.rekosearch.cli import PROFILE
from mock_server.rekosearch.settings import RekoSearchSettings

__all__ = ["PROFILE", "RekoSearchSettings", "create_app"]
