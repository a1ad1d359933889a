"""A stateful simulator of the RekoSearch jobs API (openapi/rekosearch.yaml).

`create_app(RekoSearchSettings(...))` builds the Starlette app; `python -m mock_server rekosearch` serves it.
"""

from mock_server.rekosearch.app import create_app
from mock_server.rekosearch.settings import RekoSearchSettings

__all__ = ["RekoSearchSettings", "create_app"]
