"""The way every request takes through a simulator, whatever the API, and how its app is assembled.

After the layers in front of every pipeline (`mock_server.stack`: fault injection, the body limit), a request is

1. routed by the document (method and path; an encoded "/" stays inside its path parameter): a path the document does
   not have gets the API's `unknown_route`, a method the path does not have its `wrong_method`;
2. authenticated (`authenticate`: whatever the API learns about the caller, a role or a user, goes to `run`);
3. parsed and validated against the document (`Operation.parse_request`; the body is read only when the operation
   takes one); a `RequestProblem` becomes the API's error for it (`request_problem`);
4. run (`run`: the API's routes and state machine);
5. in strict mode, checked against the document: a reply below 500 that breaks it becomes the API's
   `contract_violation`, naming what is wrong (an answer that belongs to no operation is held to the API's error
   schema; a 5xx is the simulator's own failure and goes out as it is);
6. rendered: a `Reply` as compact JSON (`mock_server.replies`), any other reply by the API (`render_own`).

Every failure leaves in the API's error shape: an `ApiError` raised anywhere on the way becomes its reply, and any
other exception, a bug in the simulator, is logged and becomes the API's `internal_error`. Nothing about a request
is logged but the operation a bug happened in, so credentials cannot end up in a log.

An API supplies only what is its own, as the methods of an `Api` subclass: the error shape of each kind of problem,
its answers to an unknown route and a wrong method, its authentication, its routes and state, and, for Connect, the
replies that are not JSON (`own_violations`, `render_own`).
"""

import logging
from abc import ABC, abstractmethod
from collections.abc import Collection, Iterable
from typing import ClassVar, Generic, TypeVar
from urllib.parse import quote

from starlette.applications import Starlette
from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from mock_server.limits import DEFAULT_MAX_BODY_BYTES
from mock_server.openapi import (
    DocumentError,
    MethodNotAllowed,
    OpenAPIDocument,
    Operation,
    ParsedRequest,
    RequestProblem,
    RouteMatch,
    load_document,
)
from mock_server.replies import JSON_MEDIA_TYPE, ApiError, Reply, json_response
from mock_server.settings import SimulatorSettings
from mock_server.stack import install_pipeline

Caller = TypeVar("Caller")
Own = TypeVar("Own")

logger = logging.getLogger(__name__)


class Api(ABC, Generic[Caller, Own]):
    """One API's part of its simulator: the hooks the pipeline calls.

    `Caller` is what authentication learns about a request's sender (the slurper: nothing; Connect: the key's role;
    RekoSearch: the user). `Own` is the API's replies besides `Reply` (Connect's log file, empty answer and tail); an
    API whose every answer is a JSON `Reply` says `Reply`. Any hook may raise the API's `ApiError` instead of
    answering.

    Attributes:
        name: The API's name; its document is openapi/<name>.yaml.
        error_schema: A JSON pointer to the schema of the API's error body: in strict mode, an answer that belongs
            to no operation (an unknown route, a wrong method) is held to it.
        routes: The operationIds the API's routes serve: every operation of the document, and nothing else.
        sensitive_properties: Property names whose values its problem messages never quote, besides the ones the
            document marks.
    """

    name: ClassVar[str]
    error_schema: ClassVar[str]
    routes: ClassVar[Collection[str]]
    sensitive_properties: ClassVar[tuple[str, ...]] = ()

    @classmethod
    def load_document(cls) -> OpenAPIDocument:
        """The API's document, compiled once per process (every app of the API shares it).

        Returns:
            The compiled document.
        """
        return load_document(cls.name, cls.sensitive_properties)

    def own_endpoint(self, request: Request) -> Reply | None:
        """Answer a request to one of the simulator's own endpoints, which are not the API's (none by default).

        Args:
            request: The request, before routing.

        Returns:
            The reply, sent without a check (the document does not describe it), or None for a request that takes
            the API's way.
        """
        return None

    @abstractmethod
    def unknown_route(self) -> Reply | Own:
        """The answer to a path the document does not have."""

    @abstractmethod
    def wrong_method(self, allowed: tuple[str, ...]) -> Reply | Own:
        """The answer to a method a path of the document does not have.

        Args:
            allowed: The methods the path has, upper case.
        """

    @abstractmethod
    def authenticate(self, headers: Headers) -> Caller:
        """Check a request's credentials.

        Args:
            headers: The request headers.

        Returns:
            What the API learns about the caller.
        """

    def query(self, request: Request) -> Iterable[tuple[str, str]]:
        """The query parameters the operation is given, in order (all that were sent, by default).

        Args:
            request: The request.

        Returns:
            (name, value) pairs, percent-decoded.
        """
        return request.query_params.multi_items()

    @abstractmethod
    def request_problem(self, problem: RequestProblem) -> ApiError:
        """The API's error for a request that breaks the document.

        Args:
            problem: What is wrong, and its kind (`RequestProblemKind`).
        """

    @abstractmethod
    def run(self, operation: Operation, request: ParsedRequest, caller: Caller) -> Reply | Own:
        """Run an operation on the API's state.

        Args:
            operation: The operation.
            request: The validated request.
            caller: What authentication learnt.
        """

    @abstractmethod
    def shared_layer_error(self, status: int, message: str) -> ApiError:
        """The API's error for what the shared layers refuse (`mock_server.stack`: 413, 429, 503).

        Args:
            status: The status.
            message: What the layer says happened.
        """

    @abstractmethod
    def internal_error(self) -> ApiError:
        """The API's error for a bug in the simulator (a 500)."""

    @abstractmethod
    def contract_violation(self, message: str) -> ApiError:
        """The API's error for a reply that breaks the document in strict mode (a 500).

        Args:
            message: "The simulator's response violates openapi/<api>.yaml: " and what is wrong.
        """

    def own_violations(self, operation: Operation | None, reply: Own) -> list[str]:
        """Check one of the API's own replies against the document, in strict mode.

        Args:
            operation: Its operation, or None for an answer outside every operation.
            reply: The reply.

        Returns:
            What is wrong (empty when nothing is).

        Raises:
            TypeError: The API has no replies of its own.
        """
        raise TypeError(f"{type(reply).__name__} is not a reply of the {self.name} simulator")

    def render_own(self, operation: Operation | None, reply: Own) -> Response:
        """Render one of the API's own replies.

        Args:
            operation: Its operation, or None for an answer outside every operation.
            reply: The reply.

        Returns:
            The response.

        Raises:
            TypeError: The API has no replies of its own.
        """
        raise TypeError(f"{type(reply).__name__} is not a reply of the {self.name} simulator")


class Pipeline(Generic[Caller, Own]):
    """The ASGI app every request of a simulator goes through (see the module docstring)."""

    def __init__(self, api: Api[Caller, Own], *, strict: bool) -> None:
        """Serve an API.

        Args:
            api: The API's hooks.
            strict: Hold every reply to the document.

        Raises:
            DocumentError: The document and the API's routes disagree about which operations exist.
        """
        self._api = api
        self._document = api.load_document()
        self._strict = strict
        operations, routes = set(self._document.operations), set(api.routes)
        if operations != routes:
            raise DocumentError(
                f"operations without a route: {sorted(operations - routes)}; "
                f"routes without an operation: {sorted(routes - operations)}"
            )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = await self.handle(Request(scope, receive))
        await response(scope, receive, send)

    async def handle(self, request: Request) -> Response:
        """Answer one request.

        Args:
            request: The request.

        Returns:
            The response.
        """
        operation: Operation | None = None
        reply: Reply | Own
        try:
            own = self._api.own_endpoint(request)
            if own is not None:
                return json_response(own)
            match = self._document.route(request.method, raw_path(request))
            if match is None:
                reply = self._api.unknown_route()
            elif isinstance(match, MethodNotAllowed):
                reply = self._api.wrong_method(match.allowed)
            else:
                operation = match.operation
                reply = await self._run(request, match)
        except ApiError as error:
            reply = error.reply()
        except Exception:
            logger.exception(
                "Bug in the %s simulator (operation %s)", self._api.name, operation and operation.operation_id
            )
            reply = self._api.internal_error().reply()
        if self._strict:
            reply = self._checked(operation, reply)
        if isinstance(reply, Reply):
            return json_response(reply)
        return self._api.render_own(operation, reply)

    def render_error(self, status: int, message: str) -> Response:
        """Render what a shared layer refuses (`mock_server.stack`) in the API's error shape.

        Args:
            status: 413, 429 or 503 (anything else is an internal error).
            message: What the layer says happened.

        Returns:
            The response.
        """
        return json_response(self._api.shared_layer_error(status, message).reply())

    async def _run(self, request: Request, match: RouteMatch) -> Reply | Own:
        operation = match.operation
        caller = self._api.authenticate(request.headers)
        # The shared body limit (mock_server.limits) has already read the body and refused one that is too large; the
        # body-less operations ignore whatever body and Content-Type they are sent.
        body = b"" if operation.request_body is None else await request.body()
        try:
            parsed = operation.parse_request(
                path_params=match.path_params,
                query=self._api.query(request),
                headers=request.headers,
                content_type=request.headers.get("content-type"),
                body=body,
            )
        except RequestProblem as problem:
            raise self._api.request_problem(problem) from None
        return self._api.run(operation, parsed, caller)

    def _checked(self, operation: Operation | None, reply: Reply | Own) -> Reply | Own:
        if not isinstance(reply, Reply):
            violations = self._api.own_violations(operation, reply)
        elif reply.status >= 500:
            return reply
        elif operation is None:
            violations = self._document.schema_problems(self._api.error_schema, reply.body)
        else:
            violations = operation.response_violations(reply.status, JSON_MEDIA_TYPE, reply.body)
        if not violations:
            return reply
        violation = "; ".join(violations)
        logger.warning("Response drifted from openapi/%s.yaml: %s", self._api.name, violation)
        message = f"The simulator's response violates openapi/{self._api.name}.yaml: {violation}"
        return self._api.contract_violation(message).reply()


def simulator_app(
    api: Api[Caller, Own],
    settings: SimulatorSettings,
    *,
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
    exempt_paths: Collection[str] = (),
    **state: object,
) -> Starlette:
    """Build a simulator's app: the API's pipeline behind the shared layers.

    Args:
        api: The API's hooks.
        settings: The simulator's settings: strict mode and the faults to inject among them.
        max_body_bytes: The largest request body accepted.
        exempt_paths: Paths that never get a fault (the simulator's own endpoints).
        **state: What the app keeps in `app.state` for the tests and the command line (its state machine, its demo
            data).

    Returns:
        The app; `app.state.settings` are its settings and `app.state.faults` its `FaultInjector`.

    Raises:
        DocumentError: The document and the API's routes disagree about which operations exist.
    """
    pipeline = Pipeline(api, strict=settings.strict)
    app = Starlette()
    # Every request goes to the pipeline: the document, not Starlette's routing, decides what is a path and what is a
    # method (Starlette's path patterns would also miss paths with an encoded newline in a parameter).
    install_pipeline(
        app,
        pipeline,
        render_error=pipeline.render_error,
        faults=settings.faults,
        max_body_bytes=max_body_bytes,
        exempt_paths=exempt_paths,
    )
    app.state.settings = settings
    for name, value in state.items():
        setattr(app.state, name, value)
    return app


def raw_path(request: Request) -> str:
    """The request path as sent, still percent-encoded.

    Args:
        request: The request.

    Returns:
        The path; the raw one keeps an encoded "/" inside a path parameter from splitting it in two.
    """
    raw = request.scope.get("raw_path")
    if raw is None:
        return quote(request.scope["path"])
    return bytes(raw).decode("latin-1")
