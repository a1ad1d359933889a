"""The response bodies the benchmarks serve: grown from the documents' own examples, and held to the documents.

Each API's bodies (`bench/apis/<api>.py`) start from an example in `openapi/<api>.yaml` (`response_example`) and are
varied (ids, times, sources, statuses: `distinct_id`, `millis`, `seconds`) so that a list is many different items, as
a server sends it. `encode` checks a body against its operation's 200 response with
the simulators' validators (`mock_server.openapi`) before any client sees it, so a body cannot drift from the document.
"""

import copy
import functools
import json
import uuid
from datetime import datetime
from typing import Any

from mock_server.openapi import OpenAPIDocument

# Where the generated ids come from, so that every run serves the same bytes.
_ID_NAMESPACE = uuid.UUID("6f1d9b8e-2c4a-4e7f-9a35-0b8c7d6e5f41")


@functools.cache
def document(api: str) -> OpenAPIDocument:
    """`openapi/<api>.yaml`, loaded and compiled once."""
    return OpenAPIDocument.load(api)


def server_url(api: str) -> str:
    """The first server URL of the document: the base URL the bench's clients use."""
    url: str = document(api).contents["servers"][0]["url"]
    return url


def response_example(api: str, operation_id: str, name: str) -> Any:
    """A copy of a named example of an operation's 200 JSON response.

    Raises:
        KeyError: The document has no such operation or example.
    """
    for path_item in document(api).contents["paths"].values():
        for operation in path_item.values():
            if isinstance(operation, dict) and operation.get("operationId") == operation_id:
                examples = operation["responses"]["200"]["content"]["application/json"]["examples"]
                return copy.deepcopy(examples[name]["value"])
    raise KeyError(f"{api}: no operation {operation_id!r}")


def schema_enum(api: str, schema: str) -> list[Any]:
    """The values of a component schema's `enum`, in the document's order."""
    values: list[Any] = document(api).contents["components"]["schemas"][schema]["enum"]
    return values


def encode(api: str, operation_id: str, body: Any) -> bytes:
    """A body as a server sends it (compact UTF-8 JSON), once it is known to be what the document declares.

    Raises:
        ValueError: The body is not a valid 200 response of the operation; the message says where.
    """
    problems = document(api).operations[operation_id].response_violations(200, "application/json", body)
    if problems:
        raise ValueError(f"{api} {operation_id}: {'; '.join(problems)}")
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()


def distinct_id(kind: str, index: int) -> str:
    """The `index`-th id of a kind of item, the same on every run."""
    return str(uuid.uuid5(_ID_NAMESPACE, f"{kind} {index}"))


def millis(moment: datetime) -> str:
    """A time as the documents write it to the millisecond, in UTC ("2026-11-21T08:00:00.000Z")."""
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def seconds(moment: datetime) -> str:
    """A time as the documents write it to the second, in UTC ("2025-01-14T09:02:11Z")."""
    return moment.isoformat(timespec="seconds").replace("+00:00", "Z")
