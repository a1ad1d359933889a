"""The RekoSearch simulator as a Starlette app, served at the server root like https://rekosearch.com.

Every request takes the shared way (`mock_server.pipeline`), which is the way it takes through the real API
(reference §2, §3, §9), after the layers every simulator has (`mock_server.stack`: fault injection, off unless asked
for, and the body limit, 413 past 1 MiB, with API Gateway's fixed messages). What is RekoSearch's own:

1. API Gateway's routing: a method and path the document does not have get 404 `{"message": "Not Found"}`;
2. API Gateway's JWT authorizer: no token, or one no user has, gets 401 `{"message": "Unauthorized"}`
   (`mock_server.rekosearch.auth`);
3. the endpoint's own checks of its query parameters, against the document: a missing (or empty) one gets 400
   "The <name> query parameter is missing", a malformed one (`job-id=abc`, `job-id=0`, sent twice) 400 "The <name>
   query parameter is not a valid <type>", both with `affected_query_parameter`; parameters the operation does not
   take are ignored, as the real endpoints (behind an HTTP API that validates nothing) ignore them;
4. the operation (`mock_server.rekosearch.routes`), which drives the state machine (`mock_server.rekosearch.jobs`);
5. in strict mode, a response that breaks the document becomes a 500 naming it.

A bug in the simulator becomes a 500 `{"message": ...}` (the documented shape), never a traceback.

One path is the simulator's own and not the API's, served only when asked for (`--new-user-endpoint`,
`RekoSearchSettings.new_user_endpoint`): `POST /_simulator/users` creates a user with the standard demo jobs and
answers 201 with its `user_id`, `email`, `token` and job ids. It stands in for signing up and uploading, which this API
does not cover, and gives each test (and each stateful walk of the conformance suite) a user nobody else has touched.
It is not in openapi/rekosearch.yaml, it needs no token and reads none, and it only ever tells the new user's own
token: it cannot reach another user's jobs or token, so users stay as isolated as they are through the API. Without
the option that path is API Gateway's 404 like any other.
"""

from collections.abc import Iterable

from starlette.applications import Starlette
from starlette.datastructures import Headers
from starlette.requests import Request

from mock_server.openapi import Operation, ParsedRequest, RequestProblem
from mock_server.pipeline import Api, simulator_app
from mock_server.rekosearch import auth, errors
from mock_server.rekosearch.errors import RekoSearchError
from mock_server.rekosearch.jobs import RekoSearchJobs, User
from mock_server.rekosearch.routes import ROUTES
from mock_server.rekosearch.seed import add_new_user, seed_demo_users
from mock_server.rekosearch.settings import SECOND_USER_TOKEN, RekoSearchSettings
from mock_server.replies import Reply

NEW_USER_PATH = "/_simulator/users"
ERROR_RESPONSE_SCHEMA = "/components/schemas/ErrorResponse"
# API Gateway answers what the shared layers (mock_server.stack) refuse with its own fixed messages.
GATEWAY_MESSAGES = {413: "Request Entity Too Large", 429: "Too Many Requests", 503: "Service Unavailable"}


def create_app(settings: RekoSearchSettings | None = None) -> Starlette:
    """Build a simulator.

    Args:
        settings: The first demo user's token, its clock, strict mode, faults and whether the new-user endpoint is
            served; the defaults when None.

    Returns:
        The app. `app.state.jobs` is its `RekoSearchJobs` (tests drive processing with `advance`),
        `app.state.demo_users` the demo users, and `app.state.settings` the settings.

    Raises:
        DocumentError: The document and `ROUTES` disagree about which operations exist.
        ValueError: The first demo user's token is the second one's.
    """
    settings = settings or RekoSearchSettings()
    jobs = RekoSearchJobs(clock=settings.clock, seed=settings.seed)
    demo_users = seed_demo_users(jobs, settings.token, SECOND_USER_TOKEN) if settings.demo_users else []
    api = RekoSearchApi(jobs, new_user_endpoint=settings.new_user_endpoint)
    return simulator_app(api, settings, exempt_paths=(NEW_USER_PATH,), jobs=jobs, demo_users=demo_users)


class RekoSearchApi(Api[User, Reply]):
    """RekoSearch's hooks (see the module docstring): API Gateway's, then the endpoints', over the users' jobs."""

    name = "rekosearch"
    error_schema = ERROR_RESPONSE_SCHEMA
    routes = ROUTES

    def __init__(self, jobs: RekoSearchJobs, *, new_user_endpoint: bool) -> None:
        self._jobs = jobs
        self._new_user_endpoint = new_user_endpoint

    def own_endpoint(self, request: Request) -> Reply | None:
        if self._new_user_endpoint and request.method == "POST" and request.url.path == NEW_USER_PATH:
            user = add_new_user(self._jobs)
            return Reply(
                201, {"user_id": user.user_id, "email": user.email, "token": user.token, "jobs": sorted(user.jobs)}
            )
        return None

    def unknown_route(self) -> Reply:
        raise errors.not_found()

    def wrong_method(self, allowed: tuple[str, ...]) -> Reply:
        # API Gateway routes a method and a path together: a method the path does not have is no route either.
        raise errors.not_found()

    def authenticate(self, headers: Headers) -> User:
        return auth.authenticate(headers, self._jobs)

    def query(self, request: Request) -> Iterable[tuple[str, str]]:
        # An empty value counts as a missing one: there is no id in it either way.
        return [(name, value) for name, value in request.query_params.multi_items() if value]

    def request_problem(self, problem: RequestProblem) -> RekoSearchError:
        return _query_error(problem)

    def run(self, operation: Operation, request: ParsedRequest, caller: User) -> Reply:
        status, body = ROUTES[operation.operation_id](self._jobs, caller, request)
        return Reply(status, body)

    def shared_layer_error(self, status: int, message: str) -> RekoSearchError:
        # API Gateway's messages are fixed: the layer's own is not told.
        return RekoSearchError(status, GATEWAY_MESSAGES.get(status, errors.INTERNAL_ERROR))

    def internal_error(self) -> RekoSearchError:
        return RekoSearchError(500, errors.INTERNAL_ERROR)

    def contract_violation(self, message: str) -> RekoSearchError:
        return RekoSearchError(500, message)


def _query_error(problem: RequestProblem) -> RekoSearchError:
    parameter = problem.parameter
    if parameter is None:
        return RekoSearchError(400, problem.message)
    json_type = parameter.types[0] if parameter.types else "string"
    if problem.missing:
        return errors.query_parameter_missing(parameter.name, json_type)
    return errors.query_parameter_malformed(parameter.name, json_type)
