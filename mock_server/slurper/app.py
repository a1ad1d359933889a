"""The slurper simulator as a Starlette app, served under the document's base path `/client/v4`.

Every request takes the same way through `_Pipeline.handle`, after the layers every simulator has
(`mock_server.stack`: fault injection, off unless asked for, and the body limit, 413 past `MAX_BODY_BYTES`):

1. find the operation in openapi/slurper.yaml by method and path (404 code 7003; 405 code 10405 with an Allow header);
2. authenticate (see `mock_server.slurper.auth`);
3. read the body when the operation takes one (the shared body limit, `mock_server.limits`, has refused one over
   `MAX_BODY_BYTES` with 413 code 10004 before the request got here); the body-less actions (abort, pause, ...)
   ignore whatever body and Content-Type they are sent;
4. parse and validate parameters and body against the document (400 with a message naming the problem);
5. run the operation (`mock_server.slurper.routes`), which drives the state machine (`mock_server.slurper.jobs`);
6. in strict mode, validate the response against the document; a violation becomes a 500 (code 10501) naming it.

Every failure, a bug in the simulator included (500 code 10500), leaves as the Cloudflare failure envelope. Nothing
about requests is logged, so credentials cannot end up in a log.
"""

import functools
import json
import logging
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.types import Receive, Scope, Send

from mock_server.openapi import (
    DocumentError,
    MethodNotAllowed,
    OpenAPIDocument,
    Operation,
    RequestProblem,
    RequestProblemKind,
    RouteMatch,
)
from mock_server.slurper.auth import authenticate
from mock_server.slurper.errors import ErrorCode, SlurperError
from mock_server.slurper.jobs import SuperSlurper
from mock_server.slurper.routes import ROUTES
from mock_server.slurper.seed import seed_demo_jobs
from mock_server.slurper.settings import SlurperSettings
from mock_server.stack import install_pipeline

MAX_BODY_BYTES = 1024 * 1024
FAILURE_RESPONSE_SCHEMA = "/components/schemas/FailureResponse"
# The document marks only the secret halves sensitive; the access key id and the client e-mail are credentials too.
SENSITIVE_PROPERTIES = ("secret",)
PROBLEM_ERRORS = {
    RequestProblemKind.INVALID_PARAMETER: ErrorCode.INVALID_REQUEST,
    RequestProblemKind.MISSING_BODY: ErrorCode.INVALID_REQUEST,
    RequestProblemKind.INVALID_BODY: ErrorCode.INVALID_REQUEST,
    RequestProblemKind.MALFORMED_JSON: ErrorCode.MALFORMED_JSON,
    RequestProblemKind.UNSUPPORTED_MEDIA_TYPE: ErrorCode.UNSUPPORTED_MEDIA_TYPE,
}

SHARED_LAYER_ERRORS = {
    413: ErrorCode.REQUEST_TOO_LARGE,
    429: ErrorCode.RATE_LIMITED,
    503: ErrorCode.SERVICE_UNAVAILABLE,
}

logger = logging.getLogger(__name__)


@functools.cache
def slurper_document() -> OpenAPIDocument:
    """Load openapi/slurper.yaml once per process (it is immutable, so every app shares it).

    Returns:
        The compiled document.
    """
    return OpenAPIDocument.load("slurper", sensitive_properties=SENSITIVE_PROPERTIES)


def create_app(settings: SlurperSettings | None = None) -> Starlette:
    """Build a simulator.

    Args:
        settings: How to set it up; the defaults when None.

    Returns:
        The app. `app.state.slurper` is its `SuperSlurper` (tests drive its clock with `advance`), and
        `app.state.demo_jobs` the demo job ids by account id.

    Raises:
        DocumentError: The document and `ROUTES` disagree about which operations exist.
    """
    settings = settings or SlurperSettings()
    document = slurper_document()
    if set(document.operations) != set(ROUTES):
        raise DocumentError(
            f"operations without a route: {sorted(set(document.operations) - set(ROUTES))}; "
            f"routes without an operation: {sorted(set(ROUTES) - set(document.operations))}"
        )
    slurper = SuperSlurper(clock=settings.clock, seed=settings.seed, max_concurrent_jobs=settings.max_concurrent_jobs)
    demo_jobs = seed_demo_jobs(slurper) if settings.demo_jobs else {}
    pipeline = _Pipeline(document, slurper, settings)
    app = Starlette()
    # Every request goes to the pipeline: the document, not Starlette's routing, decides what is a path and what is a
    # method (Starlette's path patterns would also miss paths with an encoded newline in a parameter).
    install_pipeline(app, pipeline, render_error=error_response, faults=settings.faults, max_body_bytes=MAX_BODY_BYTES)
    app.state.slurper = slurper
    app.state.demo_jobs = demo_jobs
    return app


def error_response(status: int, message: str) -> JSONResponse:
    """The failure envelope the shared layers (`mock_server.stack`) answer with.

    Args:
        status: 413, 429 or 503 (anything else is an internal error).
        message: What the client is told.

    Returns:
        The response.
    """
    error = SHARED_LAYER_ERRORS.get(status, ErrorCode.INTERNAL_ERROR)
    return _JSONResponse(SlurperError(error, message).envelope(), error.status)


class _JSONResponse(JSONResponse):
    """JSON with every non-ASCII character escaped: a bucket name can hold a lone surrogate (JSON allows "\\ud800"),
    which has no UTF-8 encoding, so escaping is the only way to send back every string exactly as it was received."""

    def render(self, content: Any) -> bytes:
        return json.dumps(content, ensure_ascii=True, allow_nan=False, separators=(",", ":")).encode("ascii")


@dataclass
class _Reply:
    status: int
    body: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)

    @classmethod
    def failure(cls, error: SlurperError) -> "_Reply":
        return cls(error.status, error.envelope(), error.headers)


class _Pipeline:
    def __init__(self, document: OpenAPIDocument, slurper: SuperSlurper, settings: SlurperSettings) -> None:
        self._document = document
        self._slurper = slurper
        self._settings = settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = await self.handle(Request(scope, receive))
        await response(scope, receive, send)

    async def handle(self, request: Request) -> JSONResponse:
        operation: Operation | None = None
        try:
            match = self._document.route(request.method, _raw_path(request))
            if match is None:
                raise SlurperError(ErrorCode.NO_ROUTE)
            if isinstance(match, MethodNotAllowed):
                raise SlurperError(ErrorCode.METHOD_NOT_ALLOWED, headers={"Allow": ", ".join(match.allowed)})
            operation = match.operation
            status, result = await self._run(request, match)
            reply = _Reply(status, {"success": True, "errors": [], "messages": [], "result": result})
        except SlurperError as error:
            reply = _Reply.failure(error)
        except Exception:
            logger.exception("Bug in the slurper simulator (operation %s)", operation and operation.operation_id)
            reply = _Reply.failure(SlurperError(ErrorCode.INTERNAL_ERROR))
        if self._settings.strict and reply.status < 500:
            reply = self._checked(operation, reply)
        return _JSONResponse(reply.body, reply.status, reply.headers)

    async def _run(self, request: Request, match: RouteMatch) -> tuple[int, Any]:
        operation = match.operation
        authenticate(request.headers, self._settings.credentials)
        # The shared body limit (mock_server.limits) has already read the body and refused one that is too large.
        body = b"" if operation.request_body is None else await request.body()
        try:
            parsed = operation.parse_request(
                path_params=match.path_params,
                query=request.query_params.multi_items(),
                headers=request.headers,
                content_type=request.headers.get("content-type"),
                body=body,
            )
        except RequestProblem as problem:
            raise SlurperError(PROBLEM_ERRORS[problem.kind], problem.message, pointer=problem.pointer) from None
        return ROUTES[operation.operation_id](self._slurper, parsed)

    def _checked(self, operation: Operation | None, reply: _Reply) -> _Reply:
        if operation is None:
            violations = self._document.schema_problems(FAILURE_RESPONSE_SCHEMA, reply.body)
        else:
            violations = operation.response_violations(reply.status, "application/json", reply.body)
        if not violations:
            return reply
        violation = "; ".join(violations)
        logger.warning("Response drifted from openapi/slurper.yaml: %s", violation)
        message = f"{ErrorCode.CONTRACT_VIOLATION.message}: {violation}"
        return _Reply.failure(SlurperError(ErrorCode.CONTRACT_VIOLATION, message))


def _raw_path(request: Request) -> str:
    # The raw path keeps an encoded "/" inside a path parameter from splitting it in two.
    raw_path = request.scope.get("raw_path")
    if raw_path is None:
        return quote(request.scope["path"])
    return bytes(raw_path).decode("latin-1")
