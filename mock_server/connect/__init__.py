"""A stateful simulator of the Posit Connect content jobs API (openapi/connect.yaml).

`create_app(ConnectSettings(...))` builds the Starlette app; `python -m mock_server connect` serves it
(its `PROFILE`, `mock_server.connect.cli`).
"""

from mock_server.connect.app import create_app
from mock_server.connect.cli import PROFILE
from mock_server.connect.settings import ConnectSettings

__all__ = ["PROFILE", "ConnectSettings", "create_app"]
