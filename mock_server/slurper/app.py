"""The slurper simulator as a Starlette app, served under the document's base path `/client/v4`.

Every request takes the shared way (`mock_server.pipeline`), after the layers every simulator has
(`mock_server.stack`: fault injection, off unless asked for, and the body limit, 413 code 10004 past
`MAX_BODY_BYTES`). What is the slurper's own:

1. a path openapi/slurper.yaml does not have is 404 code 7003; a method it does not have there 405 code 10405 with an
   Allow header;
2. authentication (see `mock_server.slurper.auth`);
3. a request that breaks the document is 400: code 10001 naming the problem (with `source.pointer` inside the body),
   10002 for malformed JSON, 10003 for another media type than JSON; the body-less actions (abort, pause, ...) ignore
   whatever body and Content-Type they are sent;
4. the operation (`mock_server.slurper.routes`) drives the state machine (`mock_server.slurper.jobs`), and its result
   goes out in Cloudflare's success envelope;
5. in strict mode, a response that breaks the document becomes a 500 (code 10501) naming it.

Every failure, a bug in the simulator included (500 code 10500), leaves as the Cloudflare failure envelope.
"""

from starlette.applications import Starlette
from starlette.datastructures import Headers

from mock_server.limits import DEFAULT_MAX_BODY_BYTES
from mock_server.openapi import Operation, ParsedRequest, RequestProblem, RequestProblemKind
from mock_server.pipeline import Api, simulator_app
from mock_server.replies import Reply
from mock_server.slurper import auth
from mock_server.slurper.auth import Credentials
from mock_server.slurper.errors import ErrorCode, SlurperError
from mock_server.slurper.jobs import SuperSlurper
from mock_server.slurper.routes import ROUTES
from mock_server.slurper.seed import seed_demo_jobs
from mock_server.slurper.settings import SlurperSettings

MAX_BODY_BYTES = DEFAULT_MAX_BODY_BYTES
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


def create_app(settings: SlurperSettings | None = None) -> Starlette:
    """Build a simulator.

    Args:
        settings: Its credentials, limit of concurrent jobs, clock, strict mode and faults; the defaults when None.

    Returns:
        The app. `app.state.slurper` is its `SuperSlurper` (tests drive its clock with `advance`),
        `app.state.demo_jobs` the demo job ids by account id, and `app.state.settings` the settings.

    Raises:
        DocumentError: The document and `ROUTES` disagree about which operations exist.
    """
    settings = settings or SlurperSettings()
    slurper = SuperSlurper(clock=settings.clock, seed=settings.seed, max_concurrent_jobs=settings.max_concurrent_jobs)
    demo_jobs = seed_demo_jobs(slurper) if settings.demo_jobs else {}
    api = SlurperApi(slurper, settings.credentials)
    return simulator_app(api, settings, max_body_bytes=MAX_BODY_BYTES, slurper=slurper, demo_jobs=demo_jobs)


class SlurperApi(Api[None, Reply]):
    """The slurper's hooks (see the module docstring): one state machine, for whoever has the credentials."""

    name = "slurper"
    error_schema = FAILURE_RESPONSE_SCHEMA
    routes = ROUTES
    sensitive_properties = SENSITIVE_PROPERTIES

    def __init__(self, slurper: SuperSlurper, credentials: Credentials) -> None:
        self._slurper = slurper
        self._credentials = credentials

    def unknown_route(self) -> Reply:
        raise SlurperError(ErrorCode.NO_ROUTE)

    def wrong_method(self, allowed: tuple[str, ...]) -> Reply:
        raise SlurperError(ErrorCode.METHOD_NOT_ALLOWED, headers={"Allow": ", ".join(allowed)})

    def authenticate(self, headers: Headers) -> None:
        """Let a request in only with the accepted token or e-mail and key (raises the failure otherwise)."""
        auth.authenticate(headers, self._credentials)

    def request_problem(self, problem: RequestProblem) -> SlurperError:
        return SlurperError(PROBLEM_ERRORS[problem.kind], problem.message, pointer=problem.pointer)

    def run(self, operation: Operation, request: ParsedRequest, caller: None) -> Reply:
        status, result = ROUTES[operation.operation_id](self._slurper, request)
        return Reply(status, {"success": True, "errors": [], "messages": [], "result": result})

    def shared_layer_error(self, status: int, message: str) -> SlurperError:
        return SlurperError(SHARED_LAYER_ERRORS.get(status, ErrorCode.INTERNAL_ERROR), message)

    def internal_error(self) -> SlurperError:
        return SlurperError(ErrorCode.INTERNAL_ERROR)

    def contract_violation(self, message: str) -> SlurperError:
        return SlurperError(ErrorCode.CONTRACT_VIOLATION, message)
