"""What Connect adds to the shared conformance tests (`conformance`): its own checks, every call through a session
that bounds streams (`streams.BoundedSession`), and walks that each start once the app runs a process again.

Connect facts the schema cannot express, checked on every response of the conformance suite.

- `viewers_are_refused`: whatever an owner, collaborator or administrator may do, a viewer of the content may not:
  the same request with a viewer's key gets 403 with Connect's error body (reference §2, "Permission"). The first
  success of each operation (or kill refused with 409) is replayed; against a live server only when
  CONNECT_VIEWER_API_KEY is given.
- `tail_ends_once_finalized`: a tail that ended belongs to a finalized job, and a finalized job's tail ends: when the
  suite had to cut a tail short (`streams.BoundedSession`) and the job turns out finalized, the tail is opened again
  and must end within `grace` seconds (reference §3: "Closes when job is finalized").
- `job_invariants`: a job reported is the one asked for (key, content GUID, `content_id` = `app_id`); an active job
  has no `end_time` and no `exit_code`; a kill order names the job killed; a 409 from a kill is code 163; a 204 from
  the error endpoint has no body.
- `log_respects_max_log_lines`: the log has at most `maxLogLines` entries (5000 when not sent).
- `download_names_the_file`: a `Content-Disposition` names the file asked for with `filename`, or Connect's
  documented default `rstudio-connect.{app_id}.{variant_id}.{bundle_id}.{job_tag}.{job_key}.log`.
- `tail_media_type`: stands in for schemathesis' `content_type_conformance` on the tail (`replaced_checks`). The
  document says `application/json` for the tail's 200, as Posit's spec does, but the framing is not documented
  (reference §6.1), so a server may as well label its entries `application/x-ndjson`, `application/jsonl`,
  `application/json-seq` or `text/event-stream`; any other media type fails, as does a body that is no sequence of
  JSON values in any framing. schemathesis validates only a body labelled as documented, so this check validates the
  others. The framing and media type the server used go into the summary (the run's `Recorder.observe`).

Each check has schemathesis' signature `(ctx, response, case)` and raises AssertionError with the evidence, as a
failure of the fact it enforces (`verdicts.enforces`, an `x-facts` entry of openapi/connect.yaml): a live server that
breaks only an assumed one is reported, not failed.
"""

import re
import time
from collections.abc import Callable
from email.message import Message
from email.utils import collapse_rfc2231_value
from typing import Any

import httpx
from schemathesis.specs.openapi.checks import content_type_conformance, use_after_free

from contract_tests.documents import (
    accepted_media_types,
    decode_body,
    json_sequence_media_type,
    load,
    media_type_of,
    operations,
    response_problems,
)
from contract_tests.server.conformance import Conformance
from contract_tests.server.connect.target import stream_deadline, viewer_credentials
from contract_tests.server.report import Recorder
from contract_tests.server.streams import BoundedSession, bounded_request
from contract_tests.server.targets import Credentials, Target
from contract_tests.server.verdicts import enforces, violated
from generator.runtime._json_sequence import JSONSequenceError, read_json_sequence

API = "connect"
DEFAULT_MAX_LOG_LINES = 5000
TAIL = "JobTailLog"
# How long a walk waits for the app's next process after the last walk killed one (the simulator starts it one
# `--line-interval`, 50 ms, after a kill).
NEXT_PROCESS_WAIT = 10.0


def operation_id(case: Any) -> str | None:
    """The operationId of the operation a case called; None for a method the path does not have (a probe)."""
    return next(
        (op.operation_id for op in operations(load(API)) if op.path == case.path and op.method == case.method.lower()),
        None,
    )


def replaced_checks(case: Any) -> list[Any]:
    """The schemathesis checks a case runs without, because one here stands in for them (`tail_media_type`)."""
    return [content_type_conformance] if operation_id(case) == TAIL else []


def _body(response: Any) -> Any:
    try:
        return decode_body(response.headers.get("content-type", [""])[0], response.content)
    except ValueError:
        return None


def _job_url(url: str) -> str:
    """The URL of the job a tail (or log, error, download) URL belongs to."""
    return re.sub(r"/(tail|log|error|download)$", "", str(httpx.URL(url).copy_with(query=None)))


def disposition_filename(header: str) -> str | None:
    """The file name of a `Content-Disposition`, as sent (`filename*` wins over `filename`; no path reduction)."""
    message = Message()
    message["Content-Disposition"] = header
    values = [value for name, value in message.get_params([], "content-disposition") if name.lower() == "filename"]
    encoded = [value for value in values if isinstance(value, tuple)]
    plain = [value for value in values if isinstance(value, str)]
    return collapse_rfc2231_value(encoded[0]) if encoded else next(iter(plain), None)


class ConnectChecks:
    """The checks, bound to the run's recorder and credentials, a viewer's key (if any) and the stream deadlines."""

    def __init__(self, recorder: Recorder, credentials: Credentials, viewer: Credentials | None, grace: float) -> None:
        """Set up the checks.

        Args:
            recorder: The run's recorder (`tail_media_type` notes the tail's framing in it).
            credentials: The run's credentials (a key that may do everything).
            viewer: A viewer's credentials, or None when there is none (then `viewers_are_refused` checks nothing).
            grace: How long a finalized job's tail may stay open, in seconds.
        """
        self.recorder = recorder
        self._credentials = credentials
        self._viewer = viewer
        self._grace = grace
        self._viewer_confirmed: set[str] = set()

    def all(self) -> list[Any]:
        """Every check, for `additional_checks`."""
        return [
            self.viewers_are_refused,
            self.tail_ends_once_finalized,
            self.job_invariants,
            self.log_respects_max_log_lines,
            self.download_names_the_file,
            self.tail_media_type,
        ]

    def _headers(self, response: Any, credentials: Credentials) -> dict[str, str]:
        headers = {name: value for name, value in response.request.headers.items() if name.lower() != "authorization"}
        return {**headers, **credentials.headers}

    @enforces("viewers-are-refused")
    def viewers_are_refused(self, ctx: Any, response: Any, case: Any) -> bool | None:
        """A request that succeeded, or a kill refused for the job's state (409), fails with a viewer's key: 403 with
        Connect's error body. A viewer may not kill, so the job's state is none of his business."""
        label = case.operation.label
        succeeded = 200 <= response.status_code < 300 or response.status_code == 409
        if self._viewer is None or not succeeded or label in self._viewer_confirmed:
            return None
        request = response.request
        replay = bounded_request(request.method, request.url, self._headers(response, self._viewer), self._grace)
        if response.status_code == 409 and replay.status_code == 409:
            # Refused, only for the job's state rather than the role: that the role is checked first is assumed.
            raise violated(
                API, "viewer-refused-before-job-state", "a viewer's kill of a job that is not active got 409"
            )
        assert replay.status_code == 403, (
            f"with a viewer's key the server answered {replay.status_code}, not 403: {replay.content[:200]!r}"
        )
        body = replay.body()
        problems = response_problems(API, str(operation_id(case)), 403, replay.headers.get("content-type", ""), body)
        assert problems == [], f"the viewer's 403 breaks the document: {problems}"
        self._viewer_confirmed.add(label)
        return None

    @enforces("tail-closes-when-finalized")
    def tail_ends_once_finalized(self, ctx: Any, response: Any, case: Any) -> bool | None:
        """A tail ends when, and only when, its job is finalized."""
        if response.status_code != 200 or operation_id(case) != "JobTailLog":
            return None
        url = response.request.url
        job = httpx.get(_job_url(url), headers=self._credentials.headers, timeout=self._grace)
        if job.status_code != 200:
            return None
        status = job.json().get("status")
        if not response.stream_cut_short:
            assert status == 2, f"the tail ended while its job's status was {status}, not 2 (finalized)"
            return None
        if status != 2:
            return None
        again = bounded_request("GET", url, self._headers(response, self._credentials), self._grace)
        assert again.status_code != 200 or not again.cut_short, (
            f"the job is finalized, but its tail was still open after {self._grace} s"
        )
        return None

    @enforces("job-is-the-one-asked-for")
    def job_invariants(self, ctx: Any, response: Any, case: Any) -> bool | None:
        """The jobs and kill orders reported are the ones asked for and consistent (see the module docstring)."""
        name = operation_id(case)
        status = response.status_code
        if name == "JobError" and status == 204 and response.content != b"":
            raise violated(API, "no-error-is-204-without-body", "a 204 from the error endpoint carries a body")
        if name == "KillJob" and status == 409:
            body = _body(response)
            code = body.get("code") if isinstance(body, dict) else None
            if code != 163:
                raise violated(API, "kill-of-inactive-job-is-409-code-163", f"the 409 of a kill has code {code}")
        if status != 200:
            return None
        body = _body(response)
        guid = case.path_parameters.get("guid")
        key = case.path_parameters.get("key")
        if name == "GetJobs" and isinstance(body, list):
            for job in body:
                _check_job(job, guid)
        if name == "GetJob" and isinstance(body, dict):
            _check_job(body, guid)
            assert body.get("key") == key, f"asked for job {key!r}, got {body.get('key')!r}"
        if name == "KillJob" and isinstance(body, dict) and (body.get("job_key"), body.get("app_guid")) != (key, guid):
            raise violated(
                API,
                "kill-order-names-the-job",
                f"killed job {key!r} of {guid!r}, the order names {body.get('job_key')!r} of {body.get('app_guid')!r}",
            )
        return None

    @enforces("log-has-at-most-max-log-lines")
    def log_respects_max_log_lines(self, ctx: Any, response: Any, case: Any) -> bool | None:
        """The log has at most `maxLogLines` entries."""
        if response.status_code != 200 or operation_id(case) != "JobLogs":
            return None
        limit = (case.query or {}).get("maxLogLines", DEFAULT_MAX_LOG_LINES)
        body = _body(response)
        if not isinstance(limit, int) or not isinstance(body, dict) or not isinstance(body.get("entries"), list):
            return None
        count = len(body["entries"])
        assert count <= limit, f"maxLogLines={limit}, but the log has {count} entries"
        return None

    @enforces("download-names-the-file")
    def download_names_the_file(self, ctx: Any, response: Any, case: Any) -> bool | None:
        """The download's `Content-Disposition` names the file asked for, or the documented default."""
        if response.status_code != 200 or operation_id(case) != "JobDownloadLog":
            return None
        header = response.headers.get("content-disposition", [None])[0]
        if header is None:
            return None
        assert header.split(";")[0].strip().lower() == "attachment", f"Content-Disposition {header!r}"
        name = disposition_filename(header)
        asked = (case.query or {}).get("filename")
        if asked:
            assert name == asked, f"asked for the file {asked!r}, the server named it {name!r}"
        else:
            key = re.escape(str(case.path_parameters.get("key")))
            default = rf"rstudio-connect\.[0-9]+\.[0-9]+\.[0-9]+\.[^.]+\.{key}\.log"
            assert re.fullmatch(default, name or ""), f"without a filename the file is named {name!r}, not the default"
        return None

    @enforces("tail-is-a-sequence-of-log-entries")
    def tail_media_type(self, ctx: Any, response: Any, case: Any) -> bool | None:
        """The tail comes in a documented media type or, for its entries, in that of any JSON sequence; its entries
        are a sequence of JSON values in some framing, which the summary names (see the module docstring)."""
        if operation_id(case) != TAIL:
            return None
        status = response.status_code
        content_type = response.headers.get("content-type", [None])[0]
        media_type = media_type_of(content_type)
        accepted = accepted_media_types(API, TAIL, status)
        if not accepted:
            return None
        assert media_type in accepted, f"the tail's {status} came as {content_type!r}, not one of {', '.join(accepted)}"
        documented = json_sequence_media_type(API, TAIL, status)
        if documented is None:
            return None
        try:
            values, framing = read_json_sequence(response.content, content_type)
        except JSONSequenceError as error:
            raise AssertionError(f"the tail is no sequence of JSON values in any framing: {error}") from None
        if framing is not None:
            self.recorder.observe(f"{API} {case.operation.label}", f"framing: {framing}; Content-Type: {media_type}")
        if media_type != documented:
            problems = response_problems(API, TAIL, status, media_type, values)
            assert problems == [], f"the tail breaks the document: {problems}"
        return None


def _check_job(job: Any, guid: str | None) -> None:
    if not isinstance(job, dict):
        return
    key = job.get("key")
    if "content_guid" in job and job["content_guid"] != guid:
        raise violated(API, "jobs-belong-to-the-content", f"job {key} belongs to {job['content_guid']}, not {guid}")
    if "content_id" in job and job["content_id"] != job.get("app_id"):
        raise violated(API, "content-id-is-app-id", f"job {key}: content_id differs from app_id")
    if job.get("status") == 0 and (job.get("end_time"), job.get("exit_code")) != (None, None):
        raise violated(
            API,
            "active-job-has-no-end",
            f"job {key} is active but has end_time {job.get('end_time')} and exit_code {job.get('exit_code')}",
        )


def wait_for_the_apps_next_process(target: Target) -> None:
    """Return once the newest job of the content runs: the state every walk starts from."""
    url = f"{target.base_url}/v1/content/{target.parameters['guid']}/jobs"
    deadline = time.monotonic() + NEXT_PROCESS_WAIT
    while time.monotonic() < deadline:
        listed = httpx.get(url, headers=target.credentials.headers, timeout=NEXT_PROCESS_WAIT)
        if listed.status_code == 200 and listed.json() and listed.json()[0]["status"] == 0:
            return
        time.sleep(0.02)
    raise AssertionError(f"the content's newest job was still not running {NEXT_PROCESS_WAIT} s after the last walk")


def _as_linked(case: Any) -> None:
    """A walk's calls go out as its links made them."""


def conformance(target: Target, recorder: Recorder) -> Conformance:
    """Connect's part of the shared conformance tests against `target`.

    Every call goes through a `streams.BoundedSession`, so a tail is read for at most the target's stream deadline and
    nothing waits for a stream that never ends; `tail_ends_once_finalized` then judges the tails that were cut short.
    A kill order ends a job but does not delete it: the job is still there, finished (openapi/README.md), so
    schemathesis' `use_after_free` does not apply. The tail's Content-Type is judged by `tail_media_type` instead of
    schemathesis' `content_type_conformance` (`replaced_checks`). A viewer's key (when there is one) is one of the
    run's credentials: no response may echo it, and no report shows it.

    Walks (on the simulator only: `SETTINGS.live_fuzzed_writes`) share the server's jobs (there is no way to make new
    ones through this API), and Hypothesis replays a walk expecting the same answers to the same steps (else it fails
    with FlakyStrategyDefinition). So every walk starts once the app runs a process again (the simulator starts one a
    moment after a kill): the list then begins with a running job, and its first kill works. Walks are cheap here (no
    job is created), and only walks reach the log, error, download and tail of real jobs: there are as many as
    --max-examples (at least 5), of up to 10 steps.
    """
    viewer = viewer_credentials(target)
    if viewer is not None:
        recorder.secrets.update(viewer.secrets)
    deadline = stream_deadline(target)

    def start_walk() -> Callable[[Any], None]:
        wait_for_the_apps_next_process(target)
        return _as_linked

    return Conformance(
        checks=ConnectChecks(recorder, target.credentials, viewer, grace=deadline).all(),
        excluded=[use_after_free],
        replaced=replaced_checks,
        call_kwargs={"session": BoundedSession(deadline)},
        start_walk=start_walk,
        walk_examples=lambda max_examples: max(5, max_examples),
        walk_steps=10,
    )
