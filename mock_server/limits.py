"""The body limit every simulator enforces before anything else reads a request: `BodyLimit`.

A body larger than the limit is refused with 413 in the API's own error shape, whether its `Content-Length` says so
up front or it is streamed in chunks (then reading stops as soon as it is over), and whether or not the operation
takes a body at all. A body within the limit is read whole and handed on unchanged, so the simulator behind never
sees more than the limit, and memory per request stays bounded.
"""

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from mock_server.faults import ErrorRenderer

DEFAULT_MAX_BODY_BYTES = 1024 * 1024


class BodyLimit:
    """ASGI middleware that refuses request bodies over a size limit."""

    def __init__(self, app: ASGIApp, render_error: ErrorRenderer, *, max_body_bytes: int) -> None:
        """Wrap an app.

        Args:
            app: The simulator.
            render_error: Builds the API's error responses (413).
            max_body_bytes: The largest body accepted.
        """
        self._app = app
        self._render_error = render_error
        self._max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self._app(scope, receive, send)
            return
        body = bytearray()
        too_large = self._declared_length(scope) > self._max_body_bytes
        while not too_large:
            message = await receive()
            if message["type"] != "http.request":
                # The client went away before sending its whole body: there is nobody to answer.
                return
            body += message.get("body", b"")
            too_large = len(body) > self._max_body_bytes
            if not message.get("more_body", False):
                break
        if too_large:
            limit = self._max_body_bytes
            text = f"Request body is too large: the limit is {limit} bytes ({_size(limit)})"
            response = self._render_error(413, text)
            await response(scope, receive, send)
            return
        await self._app(scope, _replay(bytes(body), receive), send)

    @staticmethod
    def _declared_length(scope: Scope) -> int:
        for name, value in scope["headers"]:
            if name == b"content-length":
                return int(value) if value.isdigit() else 0
        return 0


def _replay(body: bytes, receive: Receive) -> Receive:
    """A receive that hands out the body already read, then whatever the connection says next (a disconnect)."""
    pending = [{"type": "http.request", "body": body, "more_body": False}]

    async def replayed() -> Message:
        if pending:
            return pending.pop()
        return await receive()

    return replayed


def _size(limit: int) -> str:
    if limit % (1024 * 1024) == 0:
        return f"{limit // (1024 * 1024)} MiB"
    return f"{limit / 1024:g} KiB"
