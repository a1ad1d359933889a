"""Serve and check requests by an OpenAPI 3.1 document: the part of the simulators that every API shares.

`OpenAPIDocument.load("slurper")` reads `openapi/slurper.yaml` (`load_document("slurper")`: once per process),
compiles a validator for every parameter, request body and response once, and then finds the operation for a method
and path (`route`). An `Operation` parses and validates a request (`parse_request`, raising `RequestProblem`) and
checks a response (`response_violations`).
"""

from mock_server.openapi.document import DocumentError, MethodNotAllowed, OpenAPIDocument, RouteMatch, load_document
from mock_server.openapi.operation import Operation, ParsedRequest, RequestProblem, RequestProblemKind

__all__ = [
    "DocumentError",
    "MethodNotAllowed",
    "OpenAPIDocument",
    "Operation",
    "ParsedRequest",
    "RequestProblem",
    "RequestProblemKind",
    "RouteMatch",
    "load_document",
]
