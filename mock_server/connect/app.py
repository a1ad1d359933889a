"""The Connect simulator as a Starlette app, served under the document's base path `/__api__`.

Every request takes the shared way (`mock_server.pipeline`), after the layers every simulator has
(`mock_server.stack`: fault injection, off unless asked for, and the body limit, 413 past 1 MiB). What is Connect's
own:

1. a path openapi/connect.yaml does not have gets what a Go server sends, a plain-text `404 page not found` (as
   Connect's own router does for unknown endpoints), and a method the path does not have 405 with an Allow header and
   code 2;
2. authentication of the `Authorization: Key <api key>` header (`mock_server.connect.auth`; 401, code 24);
3. a parameter that breaks the document is 400: code 3 for a GUID that is not one, else code 25, with the problem
   named;
4. the content item must exist and the key's role may call the operation (`mock_server.connect.routes`), which runs
   on the state machine (`mock_server.connect.jobs`);
5. in strict mode, a response that breaks the document becomes a 500 (code 1) naming it; a tail is checked entry by
   entry as it is sent, and a bad entry drops the connection.

Besides JSON, Connect answers with no body at all (204), the log file as text, sent in chunks, and the tail, a
long-lived sequence of log entries (`mock_server.connect.tail`). Every failure, a bug in the simulator included
(500, code 1), leaves as Connect's `{code, error, payload}`.
"""

import logging
from collections.abc import AsyncIterator
from typing import Any

from starlette.applications import Starlette
from starlette.datastructures import Headers
from starlette.responses import PlainTextResponse, Response, StreamingResponse

from mock_server.connect.auth import Role, authenticate
from mock_server.connect.errors import ConnectError, ErrorCode
from mock_server.connect.jobs import ConnectJobs
from mock_server.connect.routes import ROUTES, EmptyReply, OwnReply, TailReply, TextReply, authorize
from mock_server.connect.seed import seed_demo_content
from mock_server.connect.settings import ConnectSettings
from mock_server.connect.tail import EntryCheck, follow
from mock_server.openapi import Operation, ParsedRequest, RequestProblem
from mock_server.pipeline import Api, simulator_app
from mock_server.replies import Reply

API_ERROR_SCHEMA = "/components/schemas/APIError"
# Go's net/http answer for a path no handler serves (what Connect before 2022.10.0 gives for the v1 jobs endpoints).
PAGE_NOT_FOUND = "404 page not found\n"
DOWNLOAD_CHUNK_BYTES = 16 * 1024
# The shared layers' errors (mock_server.stack) as Connect errors: Connect has no codes of its own for them.
SHARED_LAYER_ERRORS = {413: ErrorCode.INVALID_PARAMETER, 429: ErrorCode.INTERNAL, 503: ErrorCode.INTERNAL}
# What the pipeline hands Connect to check and render: its own replies, and the Go router's page, a response made
# already, which no document describes.
_Own = OwnReply | Response

logger = logging.getLogger(__name__)


class StreamViolation(Exception):
    """A tail entry broke the document in strict mode; the stream is dropped."""


def create_app(settings: ConnectSettings | None = None) -> Starlette:
    """Build a simulator.

    Args:
        settings: Its keys, job timing, clock, strict mode, faults and tail poll interval; the defaults when None.

    Returns:
        The app. `app.state.jobs` is its `ConnectJobs`, `app.state.demo_jobs` the demo job keys by content GUID, and
        `app.state.settings` the settings.

    Raises:
        DocumentError: The document and `ROUTES` disagree about which operations exist.
    """
    settings = settings or ConnectSettings()
    jobs = ConnectJobs(clock=settings.clock, timing=settings.timing, seed=settings.seed)
    demo_jobs = seed_demo_content(jobs) if settings.demo_content else {}
    return simulator_app(ConnectApi(jobs, settings), settings, jobs=jobs, demo_jobs=demo_jobs)


class ConnectApi(Api[Role, _Own]):
    """Connect's hooks (see the module docstring), with the settings it serves by: its keys, strict mode for the tail,
    the tail's poll interval."""

    name = "connect"
    error_schema = API_ERROR_SCHEMA
    routes = ROUTES

    def __init__(self, jobs: ConnectJobs, settings: ConnectSettings) -> None:
        self._jobs = jobs
        self._settings = settings

    def unknown_route(self) -> Reply | _Own:
        return PlainTextResponse(PAGE_NOT_FOUND, 404, headers={"X-Content-Type-Options": "nosniff"})

    def wrong_method(self, allowed: tuple[str, ...]) -> Reply | _Own:
        raise ConnectError(ErrorCode.UNSUPPORTED, status=405, headers={"Allow": ", ".join(allowed)})

    def authenticate(self, headers: Headers) -> Role:
        return authenticate(headers, self._settings.keys)

    def request_problem(self, problem: RequestProblem) -> ConnectError:
        parameter = problem.parameter
        if parameter is not None and parameter.location == "path" and parameter.name == "guid":
            return ConnectError(ErrorCode.INVALID_ID)
        return ConnectError(ErrorCode.INVALID_PARAMETER, problem.message)

    def run(self, operation: Operation, request: ParsedRequest, caller: Role) -> Reply | _Own:
        authorize(self._jobs, operation.operation_id, request, caller)
        return ROUTES[operation.operation_id](self._jobs, request)

    def shared_layer_error(self, status: int, message: str) -> ConnectError:
        return ConnectError(SHARED_LAYER_ERRORS.get(status, ErrorCode.INTERNAL), message, status=status)

    def internal_error(self) -> ConnectError:
        return ConnectError(ErrorCode.INTERNAL)

    def contract_violation(self, message: str) -> ConnectError:
        return ConnectError(ErrorCode.INTERNAL, message)

    def own_violations(self, operation: Operation | None, reply: _Own) -> list[str]:
        # The Go router's page belongs to no operation, and a tail is checked entry by entry as it is sent.
        if operation is None or isinstance(reply, Response | TailReply):
            return []
        if isinstance(reply, TextReply):
            return operation.response_violations(reply.status, reply.media_type, reply.text)
        return operation.response_violations(reply.status, None, None)

    def render_own(self, operation: Operation | None, reply: _Own) -> Response:
        if isinstance(reply, Response):
            return reply
        if isinstance(reply, EmptyReply):
            return Response(status_code=reply.status)
        if isinstance(reply, TextReply):
            return StreamingResponse(
                _chunks(reply.text.encode("utf-8", "surrogatepass")),
                reply.status,
                dict(reply.headers),
                reply.media_type,
            )
        assert operation is not None
        # The document's media type for the sequence (`application/json`, as Posit's spec says); the framing is the
        # simulator's own guess (mock_server.connect.tail).
        media_type = operation.responses[str(reply.status)].json_sequences[0]
        check = self._entry_check(operation, reply.status, media_type) if self._settings.strict else None
        entries = follow(
            self._jobs, reply.guid, reply.key, poll_interval=self._settings.tail_poll_interval, check=check
        )
        return StreamingResponse(entries, reply.status, media_type=media_type)

    @staticmethod
    def _entry_check(operation: Operation, status: int, media_type: str) -> EntryCheck:
        def check(entry: dict[str, Any]) -> None:
            violations = operation.response_violations(status, media_type, [entry])
            if violations:
                logger.warning("Tail entry drifted from openapi/connect.yaml: %s", "; ".join(violations))
                raise StreamViolation("; ".join(violations))

        return check


async def _chunks(content: bytes) -> AsyncIterator[bytes]:
    for start in range(0, len(content), DOWNLOAD_CHUNK_BYTES):
        yield content[start : start + DOWNLOAD_CHUNK_BYTES]
