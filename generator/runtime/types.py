"""Types shared by the endpoint functions and the models.

Hand-written; copied into every generated package by `python -m generator` (source: generator/runtime/).
"""

from collections.abc import Mapping, MutableMapping
from http import HTTPStatus
from typing import IO, TYPE_CHECKING, Any, BinaryIO, Generic, Literal, TypeVar

from attrs import define, field

if TYPE_CHECKING:
    from ._drift import Drift


class Unset:
    """The type of `UNSET`: a value the caller did not give, or a field the server left out; not an explicit `None`."""

    def __bool__(self) -> Literal[False]:
        return False

    def __repr__(self) -> str:
        return "UNSET"


UNSET: Unset = Unset()


@define
class UnknownVariant:
    """A union member the document does not list (e.g. a source vendor added after this client was generated), kept
    as the raw JSON object. Reading one reports drift (`Response.drift`).

    Attributes:
        data: The object as the server sent it.
    """

    data: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        """The object as the server sent it."""
        return dict(self.data)


FileContent = IO[bytes] | bytes | str
# What httpx accepts for one multipart part: (name, content, content type[, headers]).
FileTypes = tuple[str | None, FileContent, str | None] | tuple[str | None, FileContent, str | None, Mapping[str, str]]
RequestFiles = list[tuple[str, FileTypes]]


@define
class File:
    """A file to upload or a downloaded file."""

    payload: BinaryIO
    file_name: str | None = None
    mime_type: str | None = None

    def to_tuple(self) -> FileTypes:
        """The (name, content, content type) tuple httpx expects for a multipart part."""
        return self.file_name, self.payload, self.mime_type


def redacted_repr(value: object) -> str:
    """How a model's repr() shows a sensitive property (a secret key, a private key): never its value."""
    return "'<redacted>'"


T = TypeVar("T")


@define
class Response(Generic[T]):
    """What an endpoint's `*_detailed` function returns.

    Attributes:
        status_code: An `HTTPStatus` when Python knows the code, else the plain integer (Cloudflare sends 520-527).
        content: The raw body, always kept, also when it could not be parsed.
        headers: The response headers.
        parsed: The documented model for this status, or None when the status is undocumented or the body is not
            the JSON the document promises.
        drift: Every difference between a success body and the document met while reading it (an unknown enum
            value or union variant, a field missing, null or unknown); empty for a body that matches.
    """

    status_code: HTTPStatus | int
    content: bytes
    headers: MutableMapping[str, str]
    parsed: T | None
    drift: "tuple[Drift, ...]" = field(default=(), kw_only=True)


__all__ = ["UNSET", "File", "FileTypes", "RequestFiles", "Response", "UnknownVariant", "Unset", "redacted_repr"]
