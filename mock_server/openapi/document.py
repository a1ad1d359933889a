"""An OpenAPI 3.1 document, loaded once, with an operation lookup by method and path.

The document is read from `openapi/<api>.yaml` at the repository root (found from this file, not from the working
directory). Everything is compiled when it is loaded, so serving a request only matches a few regular expressions and
runs validators that are already built. Parts of OpenAPI that the simulators do not need (parameters that are arrays
or objects, cookie parameters, request bodies other than JSON, responses other than JSON, `text/*` and sequential
JSON (`mock_server.openapi.media_types`), references to other files) make loading fail loudly instead of being
half-supported.

Path lookup follows the OpenAPI rule that concrete paths win over templated ones: `/jobs/abortAll` is matched before
`/jobs/{job_id}`, so GET `/jobs/abortAll` is a wrong method (405), not a job called "abortAll".
"""

import functools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import yaml

from mock_server.openapi.media_types import BodyKind, body_kind
from mock_server.openapi.operation import Operation, Parameter, RequestBody, Response
from mock_server.openapi.schemas import CompiledSchema, SchemaCompiler, json_pointer, sensitive_property_names

OPENAPI_DIR = Path(__file__).resolve().parents[2] / "openapi"
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_SCALAR_TYPES = ("integer", "number", "boolean", "string")
_PARAMETER_LOCATIONS = ("path", "query", "header")
_TEMPLATE_SEGMENT = re.compile(r"\{([^{}/]+)\}")


def _body_kind(media_type: str, content: Mapping[str, Any]) -> BodyKind | None:
    """The kind of body of a media type object (`x-json-sequence: true` makes JSON a sequence of JSON values)."""
    return body_kind(media_type, json_sequence=content.get("x-json-sequence") is True)


class DocumentError(Exception):
    """The document uses something the simulators cannot serve, or is inconsistent."""


@dataclass(frozen=True)
class RouteMatch:
    """A request path and method that belong to an operation.

    Attributes:
        operation: The operation.
        path_params: The path parameters, percent-decoded, by name.
    """

    operation: Operation
    path_params: Mapping[str, str]


@dataclass(frozen=True)
class MethodNotAllowed:
    """A request path that the document has, with a method it does not have there.

    Attributes:
        allowed: The methods the path has, upper case (GET, PUT, POST, DELETE, ... order).
    """

    allowed: tuple[str, ...]


@dataclass(frozen=True)
class _PathItem:
    template: str
    pattern: re.Pattern[str]
    parameter_names: tuple[str, ...]
    operations: Mapping[str, Operation]

    @property
    def concreteness(self) -> tuple[int, ...]:
        """Sorts concrete paths first: a literal segment (0) comes before a templated one (1) at the same place."""
        return tuple(int("{" in segment) for segment in self.template.split("/"))


class OpenAPIDocument:
    """An OpenAPI 3.1 document with compiled validators for every operation."""

    def __init__(self, contents: Mapping[str, Any], *, uri: str, sensitive_properties: Iterable[str] = ()) -> None:
        """Compile a document.

        Args:
            contents: The parsed document.
            uri: An absolute URI naming the document (used to resolve its `$ref`s).
            sensitive_properties: Property names whose values are never quoted in problem messages, in addition to
                the ones the document marks `writeOnly` or `x-sensitive`.

        Raises:
            DocumentError: The document uses something the simulators do not support.
        """
        self.contents = contents
        self._schemas = SchemaCompiler(
            contents, uri=uri, sensitive_properties=sensitive_property_names(contents) | frozenset(sensitive_properties)
        )
        self.base_path = urlsplit(contents.get("servers", [{"url": "/"}])[0]["url"]).path.rstrip("/")
        path_items = [self._path_item(template, item) for template, item in contents.get("paths", {}).items()]
        self._path_items = sorted(path_items, key=lambda item: item.concreteness)
        self.operations: dict[str, Operation] = {}
        for path_item in path_items:
            for operation in path_item.operations.values():
                if operation.operation_id in self.operations:
                    raise DocumentError(f"operationId {operation.operation_id!r} is used twice")
                self.operations[operation.operation_id] = operation

    @classmethod
    def load(cls, api: str, *, sensitive_properties: Iterable[str] = ()) -> "OpenAPIDocument":
        """Load and compile `openapi/<api>.yaml`.

        Args:
            api: The document's name, e.g. "slurper".
            sensitive_properties: Property names whose values are never quoted in problem messages.

        Returns:
            The compiled document.
        """
        path = OPENAPI_DIR / f"{api}.yaml"
        with path.open(encoding="utf-8") as file:
            contents = yaml.safe_load(file)
        return cls(contents, uri=path.as_uri(), sensitive_properties=sensitive_properties)

    @property
    def moves(self) -> dict[str, frozenset[str]]:
        """A job's legal moves, as the document's `x-jobs.moves` states them: each status's next statuses (a status
        it gives none is final; `sourced`/`assumed` are the table's mark, not statuses). Empty without `x-jobs`."""
        table = (self.contents.get("x-jobs") or {}).get("moves") or {}
        return {
            str(status): frozenset(str(following) for following in nexts)
            for status, nexts in table.items()
            if status not in ("sourced", "assumed")
        }

    def route(self, method: str, path: str) -> RouteMatch | MethodNotAllowed | None:
        """Find the operation a request is for.

        Args:
            method: The HTTP method.
            path: The request path as sent, still percent-encoded, including the base path.

        Returns:
            The operation and its path parameters; MethodNotAllowed when the path exists without that method; None
            when no path of the document matches.
        """
        if not path.startswith(self.base_path):
            return None
        relative = path[len(self.base_path) :]
        for path_item in self._path_items:
            match = path_item.pattern.fullmatch(relative)
            if match is None:
                continue
            operation = path_item.operations.get(method.upper())
            if operation is None:
                return MethodNotAllowed(tuple(path_item.operations))
            return RouteMatch(
                operation, dict(zip(path_item.parameter_names, map(unquote, match.groups()), strict=True))
            )
        return None

    def schema_problems(self, pointer: str, instance: Any) -> list[str]:
        """Validate a value against a schema of the document.

        Args:
            pointer: A JSON pointer to the schema, e.g. "/components/schemas/FailureResponse".
            instance: The value.

        Returns:
            What is wrong (empty when the value is valid).
        """
        problem = self._schemas.compile(pointer).problem(instance)
        return [] if problem is None else [problem.describe()]

    def _path_item(self, template: str, item: Mapping[str, Any]) -> _PathItem:
        parameter_names = tuple(_TEMPLATE_SEGMENT.findall(template))
        literal_parts = _TEMPLATE_SEGMENT.split(template)[::2]
        pattern = re.compile("([^/]+)".join(re.escape(part) for part in literal_parts))
        item_pointer = ("paths", template)
        shared = self._parameters(item.get("parameters", []), (*item_pointer, "parameters"))
        operations: dict[str, Operation] = {}
        for method in HTTP_METHODS:
            if method not in item:
                continue
            operation_pointer = (*item_pointer, method)
            definition = item[method]
            if "operationId" not in definition:
                raise DocumentError(f"{method.upper()} {template} has no operationId")
            own = self._parameters(definition.get("parameters", []), (*operation_pointer, "parameters"))
            parameters = {**shared, **own}
            declared = {name for name, location in parameters if location == "path"}
            if declared != set(parameter_names):
                raise DocumentError(f"{method.upper()} {template} declares path parameters {sorted(declared)}")
            operations[method.upper()] = Operation(
                operation_id=definition["operationId"],
                method=method.upper(),
                path_template=template,
                parameters=tuple(parameters.values()),
                request_body=self._request_body(definition, operation_pointer),
                responses=self._responses(definition, operation_pointer),
            )
        return _PathItem(template, pattern, parameter_names, operations)

    def _parameters(self, definitions: list[Any], pointer: tuple[str | int, ...]) -> dict[tuple[str, str], Parameter]:
        parameters: dict[tuple[str, str], Parameter] = {}
        for index, reference in enumerate(definitions):
            definition, definition_pointer = self._resolve(reference, (*pointer, index))
            name, location = definition["name"], definition["in"]
            if location not in _PARAMETER_LOCATIONS:
                raise DocumentError(f"parameter {name!r} is in {location!r}; only {_PARAMETER_LOCATIONS} are supported")
            schema, schema_pointer = self._resolve(definition.get("schema", {}), (*definition_pointer, "schema"))
            declared = schema.get("type", "string")
            types = tuple(declared) if isinstance(declared, list) else (declared,)
            if not set(types) <= {*_SCALAR_TYPES, "null"}:
                raise DocumentError(f"parameter {name!r} has type {declared!r}; only scalar parameters are supported")
            parameters[name, location] = Parameter(
                name=name,
                location=location,
                required=bool(definition.get("required", location == "path")),
                types=tuple(json_type for json_type in _SCALAR_TYPES if json_type in types),
                schema=self._schemas.compile(json_pointer(schema_pointer)),
            )
        return parameters

    def _request_body(self, definition: Mapping[str, Any], pointer: tuple[str | int, ...]) -> RequestBody | None:
        if "requestBody" not in definition:
            return None
        body, body_pointer = self._resolve(definition["requestBody"], (*pointer, "requestBody"))
        return RequestBody(bool(body.get("required", False)), self._media_types(body, body_pointer, responses=False))

    def _responses(self, definition: Mapping[str, Any], pointer: tuple[str | int, ...]) -> dict[str, Response]:
        responses: dict[str, Response] = {}
        for status, reference in definition.get("responses", {}).items():
            response, response_pointer = self._resolve(reference, (*pointer, "responses", str(status)))
            media_types = self._media_types(response, response_pointer, responses=True)
            sequences = tuple(
                media_type.lower()
                for media_type, content in response.get("content", {}).items()
                if _body_kind(media_type, content) is BodyKind.SEQUENTIAL_JSON
            )
            responses[str(status).upper()] = Response(media_types, sequences)
        return responses

    def _media_types(
        self, owner: Mapping[str, Any], pointer: tuple[str | int, ...], *, responses: bool
    ) -> dict[str, CompiledSchema]:
        media_types = {}
        for media_type, content in owner.get("content", {}).items():
            where = json_pointer((*pointer, "content", media_type))
            kind = _body_kind(media_type, content)
            if kind is not BodyKind.JSON and not (responses and kind is not None):
                supported = "JSON, text/* and sequential JSON" if responses else "JSON"
                raise DocumentError(f"{where}: only {supported} media types are supported")
            if "schema" not in content:
                raise DocumentError(f"{where} has no schema")
            schema, _ = self._resolve(content["schema"], (*pointer, "content", media_type, "schema"))
            if kind is BodyKind.SEQUENTIAL_JSON and schema.get("type") != "array":
                raise DocumentError(
                    f"{where}: a sequence of JSON values needs an array schema (its values read as one)"
                )
            media_types[media_type.lower()] = self._schemas.compile(f"{where}/schema")
        return media_types

    def _resolve(self, node: Any, pointer: tuple[str | int, ...]) -> tuple[Any, tuple[str | int, ...]]:
        """Follow `$ref`s (local ones only) to the definition, returning it with its location."""
        while isinstance(node, Mapping) and "$ref" in node:
            reference = node["$ref"]
            if not reference.startswith("#/"):
                raise DocumentError(f"$ref {reference!r}: only references inside the document are supported")
            pointer = tuple(
                unquote(segment).replace("~1", "/").replace("~0", "~") for segment in reference[2:].split("/")
            )
            node = self.contents
            for segment in pointer:
                node = node[int(segment)] if isinstance(node, list) else node[segment]
        return node, pointer


@functools.cache
def load_document(api: str, sensitive_properties: tuple[str, ...] = ()) -> OpenAPIDocument:
    """Load and compile `openapi/<api>.yaml` once per process: a document is immutable, so every app shares it.

    Args:
        api: The document's name, e.g. "slurper".
        sensitive_properties: Property names whose values are never quoted in problem messages.

    Returns:
        The compiled document.
    """
    return OpenAPIDocument.load(api, sensitive_properties=sensitive_properties)
