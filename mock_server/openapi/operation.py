"""One operation of an OpenAPI document: parse and validate its requests, check its responses.

Requests: path, query and header parameters arrive as strings and are turned into the types their schemas declare
(integer, number, boolean, string) before validation, so "51" meets `maximum: 50` as the number 51. A JSON request
body is parsed and validated against the schema of its media type. The first problem found is raised as a
`RequestProblem` whose message names it, e.g. "Invalid query parameter 'limit': 51 is greater than the maximum of 50".

Responses: `response_violations` tells whether a status is documented (exactly, by a range such as `4XX`, or by
`default`) and whether the body matches the documented schema.
"""

import enum
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from mock_server.openapi.schemas import CompiledSchema

_INTEGER = re.compile(r"-?[0-9]+")
_NUMBER = re.compile(r"-?[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?")
_BOOLEANS = {"true": True, "false": False}


class RequestProblemKind(enum.Enum):
    """What kind of thing is wrong with a request."""

    INVALID_PARAMETER = "invalid parameter"
    MISSING_BODY = "missing body"
    UNSUPPORTED_MEDIA_TYPE = "unsupported media type"
    MALFORMED_JSON = "malformed JSON"
    INVALID_BODY = "invalid body"


class RequestProblem(Exception):
    """A request does not match its operation in the document.

    Attributes:
        kind: What kind of thing is wrong.
        message: What is wrong, naming the parameter or body field (never quoting a credential).
        pointer: For body problems, a JSON pointer to the offending value; otherwise None.
        parameter: For parameter problems, the parameter at fault (APIs that report it by name need it); otherwise
            None.
        missing: For parameter problems, whether the parameter was not sent at all (rather than sent malformed).
    """

    def __init__(
        self,
        kind: RequestProblemKind,
        message: str,
        *,
        pointer: str | None = None,
        parameter: "Parameter | None" = None,
        missing: bool = False,
    ) -> None:
        """Describe the problem.

        Args:
            kind: What kind of thing is wrong.
            message: What is wrong.
            pointer: A JSON pointer into the body, for body problems.
            parameter: The parameter at fault, for parameter problems.
            missing: Whether that parameter was not sent at all.
        """
        super().__init__(message)
        self.kind = kind
        self.message = message
        self.pointer = pointer
        self.parameter = parameter
        self.missing = missing


@dataclass(frozen=True)
class ParsedRequest:
    """A request that matches its operation, with every value in the type the document declares.

    Attributes:
        path_params: Path parameters by name.
        query: The query parameters that were sent, by name (undeclared ones are left out).
        headers: The declared header parameters that were sent, by name as the document spells it.
        body: The parsed JSON body, or None when the operation takes none or an optional one was not sent.
    """

    path_params: Mapping[str, Any]
    query: Mapping[str, Any]
    headers: Mapping[str, Any]
    body: Any


@dataclass(frozen=True)
class Parameter:
    """A path, query or header parameter.

    Attributes:
        name: The name, as the document spells it.
        location: "path", "query" or "header".
        required: Whether the parameter must be sent.
        types: The JSON types its schema allows, in the order a string value is tried as them.
        schema: The compiled schema.
    """

    name: str
    location: str
    required: bool
    types: tuple[str, ...]
    schema: CompiledSchema

    def parse(self, raw: str) -> Any:
        """Turn the string that was sent into a value of the declared type and validate it.

        Args:
            raw: The value as sent (already percent-decoded).

        Returns:
            The value.

        Raises:
            RequestProblem: The value does not match the schema.
        """
        value = _typed(raw, self.types)
        problem = self.schema.problem(value)
        if problem is not None:
            raise RequestProblem(
                RequestProblemKind.INVALID_PARAMETER,
                f"Invalid {self.location} parameter {self.name!r}: {problem.message}",
                parameter=self,
            )
        return value


def _typed(raw: str, types: tuple[str, ...]) -> Any:
    for json_type in types:
        if json_type == "integer" and _INTEGER.fullmatch(raw):
            return int(raw)
        if json_type == "number" and _NUMBER.fullmatch(raw):
            return float(raw) if any(c in raw for c in ".eE") else int(raw)
        if json_type == "boolean" and raw in _BOOLEANS:
            return _BOOLEANS[raw]
    # A string is left as it is; the schema then says what type it should have been.
    return raw


@dataclass(frozen=True)
class RequestBody:
    """The request body an operation takes.

    Attributes:
        required: Whether a body must be sent.
        media_types: The schema for each accepted media type (lower case, JSON types only).
    """

    required: bool
    media_types: Mapping[str, CompiledSchema]


@dataclass(frozen=True)
class Response:
    """One documented response.

    Attributes:
        media_types: The schema for each media type it can have (lower case); empty for a response without a body.
        json_sequences: Those of its media types whose body is a sequence of JSON values (sequential JSON,
            `mock_server.openapi.media_types`), in the document's order.
    """

    media_types: Mapping[str, CompiledSchema]
    json_sequences: tuple[str, ...] = ()


@dataclass(frozen=True)
class Operation:
    """An operation of the document.

    Attributes:
        operation_id: Its operationId.
        method: The HTTP method, upper case.
        path_template: The path as the document spells it, e.g. "/accounts/{account_id}/slurper/jobs".
        parameters: Path, query and header parameters (path-level ones merged in).
        request_body: The request body, or None when the operation takes none.
        responses: The documented responses by status key ("200", "4XX", "default"), keys upper case.
    """

    operation_id: str
    method: str
    path_template: str
    parameters: tuple[Parameter, ...]
    request_body: RequestBody | None
    responses: Mapping[str, Response]

    def parse_request(
        self,
        *,
        path_params: Mapping[str, str],
        query: Iterable[tuple[str, str]],
        headers: Mapping[str, str],
        content_type: str | None,
        body: bytes,
    ) -> ParsedRequest:
        """Validate a request and give back its values in the declared types.

        Args:
            path_params: The path parameters, percent-decoded, by name.
            query: The query string's (name, value) pairs, percent-decoded, in order; a name may repeat.
            headers: The request headers; looked up by lower-case name.
            content_type: The Content-Type header, or None when it was not sent.
            body: The raw body (empty when none was sent); ignored when the operation takes no body.

        Returns:
            The parsed request.

        Raises:
            RequestProblem: The first problem found: parameters first, then the body.
        """
        query_values: dict[str, list[str]] = {}
        for name, value in query:
            query_values.setdefault(name, []).append(value)
        parsed: dict[str, dict[str, Any]] = {"path": {}, "query": {}, "header": {}}
        for parameter in self.parameters:
            raw = _raw_parameter(parameter, path_params, query_values, headers)
            if raw is not None:
                parsed[parameter.location][parameter.name] = parameter.parse(raw)
            elif parameter.required:
                raise RequestProblem(
                    RequestProblemKind.INVALID_PARAMETER,
                    f"Missing required {parameter.location} parameter {parameter.name!r}",
                    parameter=parameter,
                    missing=True,
                )
        parsed_body = None if self.request_body is None else _parse_body(self.request_body, content_type, body)
        return ParsedRequest(parsed["path"], parsed["query"], parsed["header"], parsed_body)

    def response_violations(self, status: int, content_type: str | None, body: Any) -> list[str]:
        """Check a response against the document.

        Args:
            status: The HTTP status.
            content_type: The Content-Type header, or None when there is no body.
            body: The parsed JSON body, or None when there is none.

        Returns:
            What is wrong (empty when the response conforms), e.g.
            "200 response body: 'done' is not one of ['running', ...] (at result/status)".
        """
        response = self.responses.get(str(status)) or self.responses.get(f"{status // 100}XX")
        response = response or self.responses.get("DEFAULT")
        if response is None:
            return [f"status {status} is not documented for {self.operation_id}"]
        if not response.media_types:
            return [] if body is None else [f"{status} response has a body but the document declares none"]
        media_type = _media_type(content_type)
        schema = response.media_types.get(media_type)
        if schema is None:
            return [f"{status} response has Content-Type {content_type!r}, not one of {sorted(response.media_types)}"]
        problem = schema.problem(body)
        return [] if problem is None else [f"{status} response body: {problem.describe()}"]


def _raw_parameter(
    parameter: Parameter,
    path_params: Mapping[str, str],
    query: Mapping[str, list[str]],
    headers: Mapping[str, str],
) -> str | None:
    if parameter.location == "path":
        return path_params.get(parameter.name)
    if parameter.location == "header":
        return headers.get(parameter.name.lower())
    values = query.get(parameter.name)
    if not values:
        return None
    if len(values) > 1:
        raise RequestProblem(
            RequestProblemKind.INVALID_PARAMETER,
            f"Invalid query parameter {parameter.name!r}: sent {len(values)} times, expected once",
            parameter=parameter,
        )
    return values[0]


def _parse_body(request_body: RequestBody, content_type: str | None, body: bytes) -> Any:
    accepted = ", ".join(sorted(request_body.media_types))
    if not body:
        if request_body.required:
            raise RequestProblem(
                RequestProblemKind.MISSING_BODY, f"Invalid request body: a body is required ({accepted})", pointer=""
            )
        return None
    schema = request_body.media_types.get(_media_type(content_type))
    if schema is None:
        sent = "no Content-Type header" if content_type is None else f"Content-Type {content_type[:80]!r}"
        raise RequestProblem(
            RequestProblemKind.UNSUPPORTED_MEDIA_TYPE, f"Unsupported media type: sent {sent}, expected {accepted}"
        )
    try:
        value = json.loads(body, parse_constant=_reject_constant)
    except ValueError as error:
        raise RequestProblem(RequestProblemKind.MALFORMED_JSON, f"Malformed JSON in request body: {error}") from None
    except RecursionError:
        raise RequestProblem(
            RequestProblemKind.MALFORMED_JSON, "Malformed JSON in request body: nested too deeply"
        ) from None
    problem = schema.problem(value)
    if problem is not None:
        raise RequestProblem(
            RequestProblemKind.INVALID_BODY, f"Invalid request body: {problem.describe()}", pointer=problem.pointer
        )
    return value


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def _media_type(content_type: str | None) -> str:
    if content_type is None:
        return ""
    return content_type.split(";", 1)[0].strip().lower()
