"""Which fact of a document a failure rests on, and whether a server that honours the vendor's contract may do what
the server did.

A document's facts are sourced or assumed (generator/provenance.py). A failure is *caused only by assumptions* when
the same answer (or request) satisfies the document with every assumed constraint taken out
(`provenance.sourced_only`): then the vendor's contract allows what the server did, and the failure is reported as a
contradicted assumption, naming the assumed constraints involved. Anything else is a failure of a sourced fact.

The facts are found structurally, never from a message: a schema error's keyword and the schema node it sits in (the
node is the document's own object, so its JSON pointer is known); a request through the simulator's own parser; a
custom check through the fact it names (`verdicts.FactViolation`); one of schemathesis' own checks through the
document's `x-facts` entries that list it.
"""

import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from jsonschema.exceptions import ValidationError

from contract_tests.documents import (
    JSON_SEQUENCE_MEDIA_TYPES,
    documented_status,
    find_operation,
    json_sequence_media_type,
    load,
    media_type_of,
    resolve,
    validator,
)
from generator import provenance
from mock_server.openapi import OpenAPIDocument, RequestProblem


@dataclass(frozen=True)
class Contradicted:
    """An assumed fact a server did not follow.

    Attributes:
        document: The document, e.g. "openapi/slurper.yaml".
        pointer: The JSON pointer of the fact in it: the keyword (`.../schema/minimum`), the property of a `required`
            (`.../required/bucket`), the media type object, or the `x-facts` entry.
        fact: What was assumed, short: "`minimum: 1`", "media type `text/plain`", or a fact's statement.
        assumed: Why it was assumed (the mark's reason).
        observed: What the server did instead.
    """

    document: str
    pointer: str
    fact: str
    assumed: str
    observed: str

    def to_json(self) -> dict[str, str]:
        return {
            "document": self.document,
            "pointer": self.pointer,
            "fact": self.fact,
            "assumed": self.assumed,
            "observed": self.observed,
        }


@dataclass(frozen=True)
class Attribution:
    """The facts behind one failure.

    Attributes:
        sourced: What the server broke that a source states (a failure whatever the run).
        assumed: The assumed facts it broke.
    """

    sourced: list[str] = field(default_factory=list)
    assumed: list[Contradicted] = field(default_factory=list)

    @property
    def assumption_only(self) -> bool:
        """Whether only assumed facts were broken: a server honouring the vendor's contract may do this."""
        return not self.sourced and bool(self.assumed)


def document_label(api: str) -> str:
    return f"openapi/{api}.yaml"


@cache
def _marks(api: str) -> dict[tuple[str, str, str | None], provenance.Mark]:
    return provenance.assumed_marks(load(api))


@cache
def _pointers(api: str) -> dict[int, str]:
    """The JSON pointer of every object of the loaded document, by identity (a schema error names its node)."""
    found: dict[int, str] = {}

    def walk(node: Any, pointer: str) -> None:
        if isinstance(node, Mapping):
            found[id(node)] = pointer
            for key, value in node.items():
                walk(value, f"{pointer}/{provenance.escape(key)}")
        elif isinstance(node, list):
            for position, value in enumerate(node):
                walk(value, f"{pointer}/{position}")

    walk(load(api), "")
    return found


def _leaves(error: ValidationError) -> Iterator[ValidationError]:
    """An error and, for a failed `oneOf`/`anyOf`, the errors of the branches the value was meant for: a branch whose
    tag (`const` or a one-value `enum`, such as the slurper's `vendor`) the value does not have is left out, so only
    the assumptions of the matching variant are named."""
    yield error
    branches: dict[Any, list[ValidationError]] = {}
    for suberror in error.context or ():
        branches.setdefault(suberror.relative_schema_path[0], []).append(suberror)
    meant = {
        branch: errors
        for branch, errors in branches.items()
        if not any(e.validator in ("const", "enum") and len(e.relative_path) == 1 for e in errors)
    }
    for errors in (meant or branches).values():
        for suberror in errors:
            yield from _leaves(suberror)


def _where(error: ValidationError) -> str:
    return "/".join(str(segment) for segment in error.absolute_path) or "(the body)"


def _located(api: str, full: list[ValidationError], error: ValidationError) -> str:
    """Where in the document the keyword an error breaks is (the line to change if the server is right), found among
    the errors of the whole document (`full`) by the value's place and the keyword; empty when it is not found."""
    for candidate in full:
        for leaf in _leaves(candidate):
            if leaf.validator == error.validator and list(leaf.absolute_path) == list(error.absolute_path):
                node = _pointers(api).get(id(leaf.schema))
                if node is not None:
                    return f" (the document says so at {document_label(api)}#{node}/{leaf.validator})"
    return ""


def _quote(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _contradicted(api: str, error: ValidationError) -> list[Contradicted]:
    """The assumed facts behind one schema error (and, for a failed `oneOf`, behind its branches' errors)."""
    found = []
    for leaf in _leaves(error):
        node = _pointers(api).get(id(leaf.schema))
        if node is None:
            continue
        keyword = str(leaf.validator)
        if keyword == "required":
            arguments = [name for name in leaf.validator_value if name not in (leaf.instance or {})]
        else:
            arguments = [None]
        for argument in arguments:
            mark = _marks(api).get((node, keyword, argument))
            if mark is None:
                continue
            pointer = f"{node}/{keyword}" + (f"/{provenance.escape(argument)}" if argument else "")
            if keyword == "required":
                fact, observed = f"`required: {argument}`", f"left out `{argument}` at {_where(leaf)}"
            else:
                fact = f"`{keyword}: {_quote(leaf.validator_value)}`"
                observed = f"{_quote(leaf.instance)} at {_where(leaf)}"
            found.append(Contradicted(document_label(api), pointer, fact, mark.text, observed))
    return found


def schema_attribution(api: str, schema_pointer: str, value: Any, subject: str) -> Attribution:
    """Judge a value (a response body, a request body, a parameter) against a schema of the document.

    Args:
        api: The API.
        schema_pointer: The JSON pointer of the schema in the document.
        value: The value, as parsed.
        subject: What the value is, for messages ("the 200 response body").

    Returns:
        The facts it breaks (nothing when it conforms).
    """
    full = list(validator(api, schema_pointer).iter_errors(value))
    if not full:
        return Attribution()
    sourced = list(validator(api, schema_pointer, sourced_only=True).iter_errors(value))
    if sourced:
        return Attribution(
            sourced=[f"{subject}: {_where(error)}: {error.message}{_located(api, full, error)}" for error in sourced]
        )
    contradicted = [item for error in full for item in _contradicted(api, error)]
    if not contradicted:
        # Broken only where the sourced-only document is looser, yet no assumed mark explains it: treat as sourced.
        return Attribution(
            sourced=[f"{subject}: {_where(error)}: {error.message}{_located(api, full, error)}" for error in full]
        )
    unique = list({item.pointer: item for item in contradicted}.values())
    return Attribution(assumed=unique)


def response_attribution(api: str, operation_id: str, status: int, content_type: str | None, body: Any) -> Attribution:
    """Judge a response against the document.

    Args:
        api: The API.
        operation_id: The operation it answers.
        status: Its status.
        content_type: Its Content-Type header.
        body: Its body as the document's schema sees it (`documents.decode_body`).

    Returns:
        The facts it breaks (nothing when it conforms).
    """
    document = load(api)
    operation = find_operation(api, operation_id)
    key = documented_status(operation, status)
    if key is None:
        return Attribution(sourced=[f"{operation_id}: status {status} is not documented"])
    response, ref = resolve(document, operation.spec["responses"][key])
    pointer = ref or f"{operation.pointer}/responses/{provenance.escape(key)}"
    content = response.get("content", {})
    if not content:
        empty = body in (None, b"", "")
        return (
            Attribution() if empty else Attribution(sourced=[f"{operation_id} {status}: the document declares no body"])
        )
    media_type = media_type_of(content_type)
    sequence = json_sequence_media_type(api, operation_id, status)
    if media_type not in content and sequence is not None and media_type in JSON_SEQUENCE_MEDIA_TYPES:
        # A sequence of JSON values in an undocumented framing may come under the media type of any framing.
        media_type = sequence
    if media_type not in content:
        return media_type_attribution(api, pointer, content, media_type, f"{operation_id} {status}")
    return schema_attribution(
        api,
        f"{pointer}/content/{provenance.escape(media_type)}/schema",
        body,
        f"the {status} response body",
    )


def media_type_attribution(
    api: str, response_pointer: str, content: Mapping[str, Any], media_type: str, subject: str
) -> Attribution:
    """A response came with a media type the document does not declare for it: a contradicted assumption when every
    media type declared there is assumed (the sources say nothing of the type), else a failure."""
    assumed = []
    for declared in content:
        node = f"{response_pointer}/content/{provenance.escape(declared)}"
        mark = _marks(api).get((node, provenance.MEDIA_TYPE, None))
        if mark is None:
            return Attribution(sourced=[f"{subject}: content type {media_type!r} is not one of {sorted(content)}"])
        assumed.append(
            Contradicted(
                document_label(api),
                node,
                f"media type `{declared}`",
                mark.text,
                f"answered with Content-Type {media_type or '(none)'!r}",
            )
        )
    return Attribution(assumed=assumed)


@cache
def _compiled(api: str, sourced: bool) -> OpenAPIDocument:
    contents = provenance.sourced_only(load(api)) if sourced else load(api)
    return OpenAPIDocument(contents, uri=f"urn:openapi:{api}:{'sourced' if sourced else 'full'}")


@dataclass(frozen=True)
class SentRequest:
    """A request as it went over the wire.

    Attributes:
        method: The method.
        url: The whole URL.
        headers: The headers.
        body: The body (empty when none).
    """

    method: str
    url: str
    headers: Mapping[str, str]
    body: bytes


def path_params(template: str, path: str) -> dict[str, str] | None:
    """The path parameters of a concrete path, matched against a template at its end (a live server's base path
    may differ from the document's)."""
    names = re.findall(r"\{([^{}/]+)\}", template)
    literal = re.split(r"\{[^{}/]+\}", template)
    pattern = re.compile("([^/]+)".join(re.escape(part) for part in literal) + "$")
    found = pattern.search(path)
    if found is None:
        return None
    return {name: unquote(value) for name, value in zip(names, found.groups(), strict=True)}


def request_attribution(api: str, operation_id: str, request: SentRequest) -> Attribution:
    """Judge a request a server accepted against the document: which facts forbid it.

    Args:
        api: The API.
        operation_id: The operation it was sent to.
        request: The request as sent.

    Returns:
        Sourced problems when the sourced-only document refuses it too; otherwise the assumed facts it breaks (nothing
        when the full document accepts it too).
    """
    url = urlsplit(request.url)
    headers = {name.lower(): value for name, value in request.headers.items()}
    sourced_operation = _compiled(api, sourced=True).operations[operation_id]
    found = path_params(sourced_operation.path_template, url.path)
    if found is None:
        return Attribution(sourced=[f"{url.path} is not a path of {operation_id}"])
    arguments = {
        "path_params": found,
        "query": parse_qsl(url.query, keep_blank_values=True),
        "headers": headers,
        "content_type": headers.get("content-type"),
        "body": request.body,
    }
    try:
        parsed = sourced_operation.parse_request(**arguments)
    except RequestProblem as problem:
        return Attribution(sourced=[problem.message])
    try:
        _compiled(api, sourced=False).operations[operation_id].parse_request(**arguments)
    except RequestProblem as problem:
        contradicted = _request_contradictions(api, operation_id, parsed)
        return Attribution(assumed=contradicted) if contradicted else Attribution(sourced=[problem.message])
    return Attribution()


def _request_contradictions(api: str, operation_id: str, parsed: Any) -> list[Contradicted]:
    """The assumed facts a request (that the sourced-only document accepts) breaks: a parameter assumed required and
    not sent, a parameter or body value an assumed keyword refuses."""
    document = load(api)
    operation = next(op for op in provenance.operations(document) if op.operation_id == operation_id)
    found: list[Contradicted] = []
    values = {"path": parsed.path_params, "query": parsed.query, "header": parsed.headers}
    for parameter, pointer in provenance.parameters(document, operation):
        sent = values.get(parameter["in"], {})
        name = parameter["name"]
        if name not in sent:
            mark = _marks(api).get((pointer, "required", None))
            if parameter.get("required") and mark is not None:
                found.append(
                    Contradicted(
                        document_label(api),
                        f"{pointer}/required",
                        f"`{name}` is required",
                        mark.text,
                        f"accepted a request without `{name}`",
                    )
                )
            continue
        attribution = schema_attribution(api, f"{pointer}/schema", sent[name], f"{parameter['in']} parameter {name}")
        found += [replace_observed(item, f"accepted {name}={_quote(sent[name])}") for item in attribution.assumed]
    if parsed.body is not None and "requestBody" in operation.spec:
        body, pointer = provenance.resolve(document, operation.spec["requestBody"], f"{operation.pointer}/requestBody")
        for media_type in body.get("content", {}):
            schema_pointer = f"{pointer}/content/{provenance.escape(media_type)}/schema"
            attribution = schema_attribution(api, schema_pointer, parsed.body, "the request body")
            found += [replace_observed(item, f"accepted a body with {item.observed}") for item in attribution.assumed]
            break
    return found


def replace_observed(item: Contradicted, observed: str) -> Contradicted:
    return Contradicted(item.document, item.pointer, item.fact, item.assumed, observed)


def fact_attribution(api: str, name: str, observed: str) -> Attribution:
    """A behaviour fact (`x-facts`) a server broke."""
    fact = provenance.facts(load(api))[name]
    if not fact.mark.assumed:
        return Attribution(sourced=[f"{fact.statement} ({fact.mark}): {observed}"])
    # The statement reads as what was assumed ("assumed <statement>: <reason>").
    statement = fact.statement.rstrip(".")
    return Attribution(assumed=[Contradicted(document_label(api), fact.pointer, statement, fact.mark.text, observed)])


def facts_of_check(api: str, check: str) -> list[provenance.Fact]:
    """The behaviour facts one of schemathesis' own checks stands on (the `x-facts` entries that list it)."""
    return [fact for fact in provenance.facts(load(api)).values() if check in fact.checks]
