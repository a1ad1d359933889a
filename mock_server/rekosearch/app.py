"""The RekoSearch simulator as a Starlette app, served at the server root like https://rekosearch.com.

Every request takes the way it takes through the real API (reference §2, §3, §9), in `_Pipeline.handle`, after the
layers every simulator has (`mock_server.stack`: fault injection, off unless asked for, and the body limit, 413 past
`MAX_BODY_BYTES`):

1. API Gateway's routing: a method and path the document does not have get 404 `{"message": "Not Found"}`;
2. API Gateway's JWT authorizer: no token, or one no user has, gets 401 `{"message": "Unauthorized"}`
   (`mock_server.rekosearch.auth`);
3. the endpoint's own checks of its query parameters, against the document: a missing (or empty) one gets 400
   "The <name> query parameter is missing", a malformed one (`job-id=abc`, `job-id=0`, sent twice) 400 "The <name>
   query parameter is not a valid <type>", both with `affected_query_parameter`; parameters the operation does not
   take are ignored, as the real endpoints (behind an HTTP API that validates nothing) ignore them;
4. the operation (`mock_server.rekosearch.routes`), which drives the state machine (`mock_server.rekosearch.jobs`);
5. in strict mode, the response is validated against the document; a violation becomes a 500 naming it.

A bug in the simulator becomes a 500 `{"message": ...}` (the documented shape), never a traceback. Nothing about
requests is logged, so tokens cannot end up in a log.

One path is the simulator's own and not the API's, served only when asked for (`--new-user-endpoint`,
`RekoSearchSettings.new_user_endpoint`): `POST /_simulator/users` creates a user with the standard demo jobs and
answers 201 with its `user_id`, `email`, `token` and job ids. It stands in for signing up and uploading, which this API
does not cover, and gives each test (and each stateful walk of the conformance suite) a user nobody else has touched.
It is not in openapi/rekosearch.yaml, it needs no token and reads none, and it only ever tells the new user's own
token: it cannot reach another user's jobs or token, so users stay as isolated as they are through the API. Without
the option that path is API Gateway's 404 like any other.
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

from mock_server.limits import DEFAULT_MAX_BODY_BYTES
from mock_server.openapi import DocumentError, MethodNotAllowed, OpenAPIDocument, Operation, RequestProblem
from mock_server.rekosearch import errors
from mock_server.rekosearch.auth import authenticate
from mock_server.rekosearch.errors import RekoSearchError
from mock_server.rekosearch.jobs import RekoSearchJobs
from mock_server.rekosearch.routes import ROUTES
from mock_server.rekosearch.seed import add_new_user, seed_demo_users
from mock_server.rekosearch.settings import SECOND_USER_TOKEN, RekoSearchSettings
from mock_server.stack import install_pipeline

NEW_USER_PATH = "/_simulator/users"
ERROR_RESPONSE_SCHEMA = "/components/schemas/ErrorResponse"
# No operation takes a body; a client that sends one anyway is refused past this size.
MAX_BODY_BYTES = DEFAULT_MAX_BODY_BYTES
# API Gateway answers what the shared layers (mock_server.stack) refuse with its own fixed messages.
GATEWAY_MESSAGES = {413: "Request Entity Too Large", 429: "Too Many Requests", 503: "Service Unavailable"}

logger = logging.getLogger(__name__)


@functools.cache
def rekosearch_document() -> OpenAPIDocument:
    """Load openapi/rekosearch.yaml once per process (it is immutable, so every app shares it).

    Returns:
        The compiled document.
    """
    return OpenAPIDocument.load("rekosearch")


def create_app(settings: RekoSearchSettings | None = None) -> Starlette:
    """Build a simulator.

    Args:
        settings: How to set it up; the defaults when None.

    Returns:
        The app. `app.state.jobs` is its `RekoSearchJobs` (tests drive processing with `advance`), and
        `app.state.demo_users` the demo users.

    Raises:
        DocumentError: The document and `ROUTES` disagree about which operations exist.
        ValueError: The first demo user's token is the second one's.
    """
    settings = settings or RekoSearchSettings()
    document = rekosearch_document()
    if set(document.operations) != set(ROUTES):
        raise DocumentError(
            f"operations without a route: {sorted(set(document.operations) - set(ROUTES))}; "
            f"routes without an operation: {sorted(set(ROUTES) - set(document.operations))}"
        )
    jobs = RekoSearchJobs(clock=settings.clock, seed=settings.seed)
    demo_users = seed_demo_users(jobs, settings.token, SECOND_USER_TOKEN) if settings.demo_users else []
    pipeline = _Pipeline(document, jobs, settings)
    app = Starlette()
    # Every request goes to the pipeline: the document, not Starlette's routing, decides what is a path and a method.
    install_pipeline(
        app,
        pipeline,
        render_error=error_response,
        faults=settings.faults,
        max_body_bytes=MAX_BODY_BYTES,
        exempt_paths=(NEW_USER_PATH,),
    )
    app.state.jobs = jobs
    app.state.demo_users = demo_users
    return app


def error_response(status: int, message: str) -> JSONResponse:
    """API Gateway's error body for what the shared layers (`mock_server.stack`) refuse.

    Args:
        status: 413, 429 or 503.
        message: Ignored: API Gateway's messages are fixed (`GATEWAY_MESSAGES`).

    Returns:
        The response.
    """
    return _JSONResponse({"message": GATEWAY_MESSAGES.get(status, errors.INTERNAL_ERROR)}, status)


class _JSONResponse(JSONResponse):
    """Compact JSON with every non-ASCII character escaped, so any string goes back exactly as it was stored."""

    def render(self, content: Any) -> bytes:
        return json.dumps(content, ensure_ascii=True, allow_nan=False, separators=(",", ":")).encode("ascii")


@dataclass
class _Reply:
    status: int
    body: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)

    @classmethod
    def failure(cls, error: RekoSearchError) -> "_Reply":
        return cls(error.status, error.body(), error.headers)


class _Pipeline:
    def __init__(self, document: OpenAPIDocument, jobs: RekoSearchJobs, settings: RekoSearchSettings) -> None:
        self._document = document
        self._jobs = jobs
        self._settings = settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = self.handle(Request(scope, receive))
        await response(scope, receive, send)

    def handle(self, request: Request) -> JSONResponse:
        operation: Operation | None = None
        try:
            if self._settings.new_user_endpoint and request.method == "POST" and request.url.path == NEW_USER_PATH:
                return _JSONResponse(self._new_user(), 201)
            match = self._document.route(request.method, _raw_path(request))
            if match is None or isinstance(match, MethodNotAllowed):
                raise errors.not_found()
            operation = match.operation
            user = authenticate(request.headers, self._jobs)
            try:
                parsed = operation.parse_request(
                    path_params=match.path_params,
                    # An empty value counts as a missing one: there is no id in it either way.
                    query=[(name, value) for name, value in request.query_params.multi_items() if value],
                    headers=request.headers,
                    content_type=request.headers.get("content-type"),
                    body=b"",
                )
            except RequestProblem as problem:
                raise _query_error(problem) from None
            status, body = ROUTES[operation.operation_id](self._jobs, user, parsed)
            reply = _Reply(status, body)
        except RekoSearchError as error:
            reply = _Reply.failure(error)
        except Exception:
            logger.exception("Bug in the RekoSearch simulator (operation %s)", operation and operation.operation_id)
            reply = _Reply(500, {"message": errors.INTERNAL_ERROR})
        if self._settings.strict:
            reply = self._checked(operation, reply)
        return _JSONResponse(reply.body, reply.status, reply.headers)

    def _new_user(self) -> dict[str, Any]:
        user = add_new_user(self._jobs)
        return {"user_id": user.user_id, "email": user.email, "token": user.token, "jobs": sorted(user.jobs)}

    def _checked(self, operation: Operation | None, reply: _Reply) -> _Reply:
        if operation is None:
            violations = self._document.schema_problems(ERROR_RESPONSE_SCHEMA, reply.body)
        else:
            violations = operation.response_violations(reply.status, "application/json", reply.body)
        if not violations:
            return reply
        violation = "; ".join(violations)
        logger.warning("Response drifted from openapi/rekosearch.yaml: %s", violation)
        return _Reply(500, {"message": f"{errors.CONTRACT_VIOLATION}: {violation}"})


def _query_error(problem: RequestProblem) -> RekoSearchError:
    parameter = problem.parameter
    if parameter is None:
        return RekoSearchError(400, problem.message)
    json_type = parameter.types[0] if parameter.types else "string"
    if problem.missing:
        return errors.query_parameter_missing(parameter.name, json_type)
    return errors.query_parameter_malformed(parameter.name, json_type)


def _raw_path(request: Request) -> str:
    raw_path = request.scope.get("raw_path")
    if raw_path is None:
        return quote(request.scope["path"])
    return bytes(raw_path).decode("latin-1")
