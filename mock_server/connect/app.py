"""The Connect simulator as a Starlette app, served under the document's base path `/__api__`.

Every request takes the same way through `_Pipeline.handle`, after the layers every simulator has
(`mock_server.stack`: fault injection, off unless asked for, and the body limit, 413 past `MAX_BODY_BYTES`):

1. find the operation in openapi/connect.yaml by method and path; a path the document does not have gets what a Go
   server sends, a plain-text `404 page not found` (as Connect's own router does for unknown endpoints), and a
   method the path does not have 405 with an Allow header and code 2;
2. authenticate the `Authorization: Key <api key>` header (`mock_server.connect.auth`; 401, code 24);
3. validate the parameters against the document (400: code 3 for a GUID that is not one, else code 25, with the
   problem named);
4. check the content item exists and the key's role may call the operation (`mock_server.connect.routes`);
5. run the operation on the state machine (`mock_server.connect.jobs`);
6. in strict mode, validate the response against the document; a violation becomes a 500 (code 1) naming it. A
   tail is checked entry by entry as it is sent, and a bad entry drops the connection.

Every failure, a bug in the simulator included (500, code 1), leaves as Connect's `{code, error, payload}`. Nothing
about requests is logged, so API keys cannot end up in a log.
"""

import functools
import json
import logging
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import quote

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response, StreamingResponse
from starlette.types import Receive, Scope, Send

from mock_server.connect.auth import authenticate
from mock_server.connect.errors import ConnectError, ErrorCode
from mock_server.connect.jobs import ConnectJobs
from mock_server.connect.routes import (
    ROUTES,
    EmptyReply,
    JSONReply,
    Reply,
    TailReply,
    TextReply,
    authorize,
)
from mock_server.connect.seed import seed_demo_content
from mock_server.connect.settings import ConnectSettings
from mock_server.connect.tail import EntryCheck, follow
from mock_server.limits import DEFAULT_MAX_BODY_BYTES
from mock_server.openapi import (
    DocumentError,
    MethodNotAllowed,
    OpenAPIDocument,
    Operation,
    RequestProblem,
    RouteMatch,
)
from mock_server.stack import install_pipeline

API_ERROR_SCHEMA = "/components/schemas/APIError"
# Go's net/http answer for a path no handler serves (what Connect before 2022.10.0 gives for the v1 jobs endpoints).
PAGE_NOT_FOUND = "404 page not found\n"
DOWNLOAD_CHUNK_BYTES = 16 * 1024
# No jobs operation takes a body; a client that sends one anyway is refused past this size.
MAX_BODY_BYTES = DEFAULT_MAX_BODY_BYTES
# The shared layers' errors (mock_server.stack) as Connect errors: Connect has no codes of its own for them.
SHARED_LAYER_ERRORS = {413: ErrorCode.INVALID_PARAMETER, 429: ErrorCode.INTERNAL, 503: ErrorCode.INTERNAL}

logger = logging.getLogger(__name__)


class StreamViolation(Exception):
    """A tail entry broke the document in strict mode; the stream is dropped."""


@functools.cache
def connect_document() -> OpenAPIDocument:
    """Load openapi/connect.yaml once per process (it is immutable, so every app shares it).

    Returns:
        The compiled document.
    """
    return OpenAPIDocument.load("connect")


def create_app(settings: ConnectSettings | None = None) -> Starlette:
    """Build a simulator.

    Args:
        settings: How to set it up; the defaults when None.

    Returns:
        The app. `app.state.jobs` is its `ConnectJobs`, and `app.state.demo_jobs` the demo job keys by content GUID.

    Raises:
        DocumentError: The document and `ROUTES` disagree about which operations exist.
    """
    settings = settings or ConnectSettings()
    document = connect_document()
    if set(document.operations) != set(ROUTES):
        raise DocumentError(
            f"operations without a route: {sorted(set(document.operations) - set(ROUTES))}; "
            f"routes without an operation: {sorted(set(ROUTES) - set(document.operations))}"
        )
    jobs = ConnectJobs(clock=settings.clock, timing=settings.timing, seed=settings.seed)
    demo_jobs = seed_demo_content(jobs) if settings.demo_content else {}
    app = Starlette()
    # Every request goes to the pipeline: the document, not Starlette's routing, decides what is a path and what is a
    # method.
    install_pipeline(
        app,
        _Pipeline(document, jobs, settings),
        render_error=error_response,
        faults=settings.faults,
        max_body_bytes=MAX_BODY_BYTES,
    )
    app.state.jobs = jobs
    app.state.demo_jobs = demo_jobs
    return app


def error_response(status: int, message: str) -> Response:
    """Connect's error body for what the shared layers (`mock_server.stack`) refuse.

    Args:
        status: 413, 429 or 503.
        message: What the client is told, after the standard message of the error code.

    Returns:
        The response.
    """
    error = ConnectError(SHARED_LAYER_ERRORS.get(status, ErrorCode.INTERNAL), message, status=status)
    return Response(_json_bytes(error.body()), status, media_type="application/json")


def _json_bytes(value: Any) -> bytes:
    # Every non-ASCII character escaped, so that any string (a lone surrogate included) goes back exactly as it came.
    return json.dumps(value, ensure_ascii=True, allow_nan=False, separators=(",", ":")).encode("ascii")


class _Pipeline:
    def __init__(self, document: OpenAPIDocument, jobs: ConnectJobs, settings: ConnectSettings) -> None:
        self._document = document
        self._jobs = jobs
        self._settings = settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = self.handle(Request(scope, receive))
        await response(scope, receive, send)

    def handle(self, request: Request) -> Response:
        operation: Operation | None = None
        try:
            match = self._document.route(request.method, _raw_path(request))
            if match is None:
                return PlainTextResponse(PAGE_NOT_FOUND, 404, headers={"X-Content-Type-Options": "nosniff"})
            if isinstance(match, MethodNotAllowed):
                raise ConnectError(ErrorCode.UNSUPPORTED, status=405, headers={"Allow": ", ".join(match.allowed)})
            operation = match.operation
            reply = self._run(request, match)
        except ConnectError as error:
            reply = JSONReply(error.status, error.body(), error.headers)
        except Exception:
            logger.exception("Bug in the Connect simulator (operation %s)", operation and operation.operation_id)
            reply = JSONReply(500, ConnectError(ErrorCode.INTERNAL).body())
        if self._settings.strict:
            reply = self._checked(operation, reply)
        return self._render(operation, reply)

    def _run(self, request: Request, match: RouteMatch) -> Reply:
        operation = match.operation
        role = authenticate(request.headers, self._settings.keys)
        try:
            parsed = operation.parse_request(
                path_params=match.path_params,
                query=request.query_params.multi_items(),
                headers=request.headers,
                content_type=request.headers.get("content-type"),
                body=b"",
            )
        except RequestProblem as problem:
            parameter = problem.parameter
            if parameter is not None and parameter.location == "path" and parameter.name == "guid":
                raise ConnectError(ErrorCode.INVALID_ID) from None
            raise ConnectError(ErrorCode.INVALID_PARAMETER, problem.message) from None
        authorize(self._jobs, operation.operation_id, parsed, role)
        return ROUTES[operation.operation_id](self._jobs, parsed)

    def _checked(self, operation: Operation | None, reply: Reply) -> Reply:
        if isinstance(reply, TailReply):
            return reply
        if operation is None:
            assert isinstance(reply, JSONReply)
            violations = self._document.schema_problems(API_ERROR_SCHEMA, reply.body)
        elif isinstance(reply, JSONReply):
            violations = operation.response_violations(reply.status, "application/json", reply.body)
        elif isinstance(reply, TextReply):
            violations = operation.response_violations(reply.status, reply.media_type, reply.text)
        else:
            violations = operation.response_violations(reply.status, None, None)
        if not violations or reply.status >= 500:
            return reply
        violation = "; ".join(violations)
        logger.warning("Response drifted from openapi/connect.yaml: %s", violation)
        detail = f"The simulator's response violates openapi/connect.yaml: {violation}"
        return JSONReply(500, ConnectError(ErrorCode.INTERNAL, detail).body())

    def _render(self, operation: Operation | None, reply: Reply) -> Response:
        if isinstance(reply, JSONReply):
            return Response(_json_bytes(reply.body), reply.status, dict(reply.headers), "application/json")
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


def _raw_path(request: Request) -> str:
    # The raw path keeps an encoded "/" inside a path parameter from splitting it in two.
    raw_path = request.scope.get("raw_path")
    if raw_path is None:
        return quote(request.scope["path"])
    return bytes(raw_path).decode("latin-1")
