"""What each Connect jobs operation does, by operationId: who may call it, and the reply it gives (JSON, or one of
Connect's own: the log file, no body at all, the tail).

Every operation is permitted for content owners, users with collaborator rights and administrators; viewers get 403,
code 22 (reference §2, "Permission"). The content item is looked up before the role is checked, so an unknown GUID
is a 404 for everyone, and the job after it.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from urllib.parse import quote

from mock_server.connect.auth import Role
from mock_server.connect.errors import ConnectError, ErrorCode
from mock_server.connect.jobs import ConnectJobs
from mock_server.openapi import ParsedRequest
from mock_server.replies import Reply

PERMITTED = frozenset({Role.OWNER, Role.COLLABORATOR, Role.ADMINISTRATOR})
PERMISSIONS: Mapping[str, frozenset[Role]] = {
    "GetJobs": PERMITTED,
    "GetJob": PERMITTED,
    "KillJob": PERMITTED,
    "JobDownloadLog": PERMITTED,
    "JobError": PERMITTED,
    "JobLogs": PERMITTED,
    "JobTailLog": PERMITTED,
}
DEFAULT_MAX_LOG_LINES = 5000
# Characters left as they are in a quoted `filename="..."`; everything else is replaced there (and kept exactly in
# `filename*`, RFC 6266 / RFC 8187).
_PLAIN_FILENAME_CHARACTERS = frozenset(map(chr, range(0x20, 0x7F))) - {'"', "\\", "%"}


@dataclass(frozen=True)
class TextReply:
    """A text body (the log file), sent in chunks."""

    status: int
    text: str
    headers: Mapping[str, str] = field(default_factory=dict)
    media_type: str = "text/plain; charset=utf-8"


@dataclass(frozen=True)
class EmptyReply:
    """No body."""

    status: int


@dataclass(frozen=True)
class TailReply:
    """The long-lived sequence of a job's log entries (`mock_server.connect.tail`), in the media type the document
    gives the tail's 200."""

    guid: str
    key: str
    status: int = 200


# Connect's replies besides JSON ones (`mock_server.replies.Reply`), which its app checks and renders itself.
OwnReply = TextReply | EmptyReply | TailReply
ConnectReply = Reply | OwnReply
Route = Callable[[ConnectJobs, ParsedRequest], ConnectReply]


def authorize(jobs: ConnectJobs, operation_id: str, request: ParsedRequest, role: Role) -> None:
    """Check that the content item exists and the key's role may call the operation on it.

    Args:
        jobs: The state machine.
        operation_id: The operation.
        request: The validated request.
        role: The key's role.

    Raises:
        ConnectError: NOT_FOUND for an unknown content item, NO_PERMISSION for a role that may not.
    """
    jobs.content_item(_guid(request))
    if role not in PERMISSIONS[operation_id]:
        raise ConnectError(ErrorCode.NO_PERMISSION)


def get_jobs(jobs: ConnectJobs, request: ParsedRequest) -> ConnectReply:
    """GET /v1/content/{guid}/jobs."""
    return Reply(200, jobs.list_jobs(_guid(request)))


def get_job(jobs: ConnectJobs, request: ParsedRequest) -> ConnectReply:
    """GET /v1/content/{guid}/jobs/{key}."""
    return Reply(200, jobs.get_job(_guid(request), _key(request)))


def kill_job(jobs: ConnectJobs, request: ParsedRequest) -> ConnectReply:
    """DELETE /v1/content/{guid}/jobs/{key}."""
    return Reply(200, jobs.kill_job(_guid(request), _key(request)))


def job_download_log(jobs: ConnectJobs, request: ParsedRequest) -> ConnectReply:
    """GET /v1/content/{guid}/jobs/{key}/download."""
    text, default_name = jobs.log_file(_guid(request), _key(request))
    # An empty `filename` asks for no name in particular: the default is used, as when it is left out.
    name = str(request.query.get("filename") or default_name)
    return TextReply(200, text, {"Content-Disposition": content_disposition(name)})


def job_error(jobs: ConnectJobs, request: ParsedRequest) -> ConnectReply:
    """GET /v1/content/{guid}/jobs/{key}/error."""
    error = jobs.job_error(_guid(request), _key(request))
    return EmptyReply(204) if error is None else Reply(200, error)


def job_logs(jobs: ConnectJobs, request: ParsedRequest) -> ConnectReply:
    """GET /v1/content/{guid}/jobs/{key}/log."""
    max_lines = int(request.query.get("maxLogLines", DEFAULT_MAX_LOG_LINES))
    return Reply(200, jobs.job_log(_guid(request), _key(request), max_lines))


def job_tail_log(jobs: ConnectJobs, request: ParsedRequest) -> ConnectReply:
    """GET /v1/content/{guid}/jobs/{key}/tail: the job is looked up now, so a 404 comes before the stream starts."""
    guid, key = _guid(request), _key(request)
    jobs.get_job(guid, key)
    return TailReply(guid, key)


ROUTES: dict[str, Route] = {
    "GetJobs": get_jobs,
    "GetJob": get_job,
    "KillJob": kill_job,
    "JobDownloadLog": job_download_log,
    "JobError": job_error,
    "JobLogs": job_logs,
    "JobTailLog": job_tail_log,
}


def content_disposition(filename: str) -> str:
    """The `Content-Disposition` of a download: `attachment` with the file name in both RFC 6266 forms.

    Args:
        filename: The name, any string.

    Returns:
        `attachment; filename="<ASCII stand-in>"; filename*=UTF-8''<percent-encoded>`; every byte is printable ASCII,
        so no file name can break the header.
    """
    plain = "".join(character if character in _PLAIN_FILENAME_CHARACTERS else "_" for character in filename)
    encoded = quote(filename.encode("utf-8", "surrogatepass"), safe="")
    return f"attachment; filename=\"{plain}\"; filename*=UTF-8''{encoded}"


def _guid(request: ParsedRequest) -> str:
    return str(request.path_params["guid"])


def _key(request: ParsedRequest) -> str:
    return str(request.path_params["key"])
