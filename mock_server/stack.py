"""The layers in front of every simulator's pipeline, and how an app is assembled from them.

A request meets, in order: fault injection (`mock_server.faults`, off unless asked for), the body limit
(`mock_server.limits`), then the API's own pipeline (routing, authentication, validation, the operation). The
layers are the app's whole middleware stack: Starlette's own routing and error middleware are left out, as the
pipelines do their own routing and turn every failure, a bug included, into the API's error shape.
"""

from collections.abc import Collection

from starlette.applications import Starlette
from starlette.types import ASGIApp

from mock_server.faults import ErrorRenderer, FaultInjection, FaultInjector, FaultSettings
from mock_server.limits import BodyLimit


def install_pipeline(
    app: Starlette,
    pipeline: ASGIApp,
    *,
    render_error: ErrorRenderer,
    faults: FaultSettings,
    max_body_bytes: int,
    exempt_paths: Collection[str] = (),
) -> None:
    """Make a pipeline, behind the shared layers, the whole of an app.

    Args:
        app: The app; `app.state.faults` becomes its `FaultInjector` (tests read what it injected).
        pipeline: The API's pipeline.
        render_error: Builds the API's error responses (413, 429, 503).
        faults: Which faults to inject.
        max_body_bytes: The largest request body accepted.
        exempt_paths: Paths that never get a fault (the simulator's own set-up endpoints).
    """
    injector = FaultInjector(faults)
    app.state.faults = injector
    limited = BodyLimit(pipeline, render_error, max_body_bytes=max_body_bytes)
    app.middleware_stack = FaultInjection(limited, injector, render_error, exempt_paths=exempt_paths)
