"""How a run judges what it finds.

Against the simulators every fact applies, assumptions included: they follow the project's best model of each API.
Against a live server (`--base-url`) a failure caused only by assumed facts (`attribution`) does not fail the run: it
is recorded as a contradicted assumption, with the document location to correct, what was assumed, what the server
did and a reproduction. `--strict-assumptions` makes those failures again. A failure of a sourced fact always fails.

Three ways in:

- schemathesis' checks, built-in and the project's own: every failure goes through `Verdicts.judge` (the schema's
  `filter_failure` hook, `run.Run.schema`), which keeps it (the run fails) or records the contradiction and drops it;
- a check of the project's names the fact it enforces with `@enforces("fact-name")` (an `x-facts` entry of the API's
  document): its assertions fail as that fact;
- a lifecycle test holds a response to the document with `verdicts.check_response`, and an assertion about behaviour
  to a fact with `with verdicts.expecting(api, "fact-name"):` (the `verdicts` fixture).

A run has one `Verdicts`: its policy, the recorder it reports to, and the last response each API's lifecycle tests
saw. Nothing here is kept between runs.
"""

import functools
import shlex
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

import httpx
from schemathesis.core.failures import AcceptedNegativeData, CustomFailure, ServerError
from schemathesis.openapi.checks import (
    AllowHeaderMismatch,
    EnsureResourceAvailability,
    IgnoredAuth,
    JsonSchemaError,
    MissingContentType,
    MissingHeaderNotRejected,
    MissingHeaders,
    ObjectLevelAuthorizationViolation,
    RejectedPositiveData,
    UndefinedContentType,
    UndefinedStatusCode,
    UnsupportedMethodResponse,
    UseAfterFree,
)

from contract_tests.documents import decode_body, json_sequence_media_type, load
from contract_tests.server import attribution, echo
from contract_tests.server.attribution import Attribution, SentRequest
from contract_tests.server.memory import Memory
from contract_tests.server.report import Recorder
from generator import provenance

CREDENTIAL_HEADERS = ("authorization", "x-auth-key", "x-auth-email", "cookie")


@dataclass
class Policy:
    """What the run forgives.

    Attributes:
        live: The run is against a live server.
        strict_assumptions: Contradicted assumptions fail the run even against a live server.
    """

    live: bool = False
    strict_assumptions: bool = False

    @property
    def forgives_assumptions(self) -> bool:
        return self.live and not self.strict_assumptions


# What each of schemathesis' failures is the failure of.
FAILURE_CHECKS: Mapping[type, str] = MappingProxyType(
    {
        JsonSchemaError: "response_schema_conformance",
        AcceptedNegativeData: "negative_data_rejection",
        RejectedPositiveData: "positive_data_acceptance",
        UndefinedContentType: "content_type_conformance",
        MissingContentType: "content_type_conformance",
        UndefinedStatusCode: "status_code_conformance",
        ServerError: "not_a_server_error",
        UnsupportedMethodResponse: "unsupported_method",
        AllowHeaderMismatch: "allow_header_conformance",
        IgnoredAuth: "ignored_auth",
        UseAfterFree: "use_after_free",
        EnsureResourceAvailability: "ensure_resource_availability",
        MissingHeaders: "response_headers_conformance",
        MissingHeaderNotRejected: "missing_required_header",
        ObjectLevelAuthorizationViolation: "object_level_authorization",
    }
)
# Where the fact behind a failure the run keeps is noted on the failure, for the report.
_FACT = "project_fact"


class FactViolation(AssertionError):
    """A server broke a named behaviour fact (`x-facts`) of an API's document.

    Attributes:
        api: The API.
        fact: The fact's name.
        constraints: Constraints of the document the same answer breaks (a bound of the value that made the request
            faulty, say): assumed ones are contradicted with the fact; a sourced one makes it a failure.
    """

    def __init__(self, api: str, fact: str, message: str, constraints: Attribution | None = None) -> None:
        super().__init__(message)
        self.api = api
        self.fact = fact
        self.constraints = constraints or Attribution()


class DocumentViolation(AssertionError):
    """A response a lifecycle test got breaks the document (`check_response`): never taken for the behaviour an
    `expecting` block around the call is about."""


def api_of(case: Any) -> str:
    """The API a schemathesis case belongs to (its document's name)."""
    return Path(case.operation.schema.location or "").stem


def operation_id_of(case: Any) -> str | None:
    """The operationId of the operation a case called; None when its method is not the operation's (a probe)."""
    if str(case.method).lower() != case.operation.method.lower():
        return None
    return case.operation.definition.raw.get("operationId")


def enforces(fact: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Name the behaviour fact a check enforces: its assertions then fail as that fact (a `FactViolation`), which
    tells the run whether the fact is sourced or assumed.

    Args:
        fact: The fact's name in the `x-facts` of the case's API.

    Returns:
        The decorator.
    """

    def decorate(check: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(check)
        def enforced(*arguments: Any) -> Any:
            # (ctx, response, case), after `self` when the check is a method.
            try:
                return check(*arguments)
            except FactViolation:
                raise
            except AssertionError as error:
                raise FactViolation(api_of(arguments[-1]), fact, str(error)) from None

        enforced.fact = fact  # type: ignore[attr-defined]
        return enforced

    return decorate


def violated(api: str, fact: str, message: str, constraints: Attribution | None = None) -> FactViolation:
    """A `FactViolation` to raise from a check that enforces more than one fact (and, with `constraints`, the
    constraints of the document behind it)."""
    return FactViolation(api, fact, message, constraints)


def _sent(response: Any) -> SentRequest:
    request = response.request
    body = request.body or b""
    return SentRequest(
        str(request.method),
        str(request.url),
        dict(request.headers),
        body if isinstance(body, bytes) else str(body).encode(),
    )


def _body(response: Any, api: str, operation_id: str) -> Any:
    sequence = json_sequence_media_type(api, operation_id, response.status_code) is not None
    try:
        return decode_body(response.headers.get("content-type", [""])[0], response.content, sequence=sequence)
    except ValueError:
        return response.text


def attribute(failure: Any, case: Any, response: Any) -> tuple[str, Attribution | None]:
    """The check a schemathesis failure comes from, and the facts behind it (None: nothing assumed can explain it).

    Args:
        failure: The failure.
        case: The case.
        response: The response it judged.

    Returns:
        The check's name and the attribution.
    """
    api = api_of(case)
    if isinstance(failure, CustomFailure):
        exception = failure.exception
        name = failure.title.removeprefix("Custom check failed: ").strip("`")
        if isinstance(exception, FactViolation):
            found = attribution.fact_attribution(exception.api, exception.fact, str(exception))
            also = exception.constraints
            return name, Attribution(sourced=[*also.sourced, *found.sourced], assumed=[*also.assumed, *found.assumed])
        return name, None
    check = next((name for kind, name in FAILURE_CHECKS.items() if isinstance(failure, kind)), type(failure).__name__)
    operation_id = operation_id_of(case)
    if check in ("response_schema_conformance", "content_type_conformance") and operation_id is not None:
        content_type = response.headers.get("content-type", [None])[0]
        return check, attribution.response_attribution(
            api, operation_id, response.status_code, content_type, _body(response, api, operation_id)
        )
    if check == "negative_data_rejection" and operation_id is not None:
        return check, attribution.request_attribution(api, operation_id, _sent(response))
    facts = attribution.facts_of_check(api, check)
    if not facts:
        return check, None
    # A 5xx is a failure, unless the sources let bad input get one, and this input was bad by the sources too.
    if check == "not_a_server_error" and not _refused_by_the_sources(api, operation_id, response):
        return check, None
    observed = f"{failure.title}: {str(getattr(failure, 'message', ''))[:200]}".strip()
    judged = [attribution.fact_attribution(api, fact.name, observed) for fact in facts]
    return check, Attribution(
        sourced=[item for part in judged for item in part.sourced],
        assumed=[item for part in judged for item in part.assumed],
    )


def _refused_by_the_sources(api: str, operation_id: str | None, response: Any) -> bool:
    if operation_id is None:
        return False
    return bool(attribution.request_attribution(api, operation_id, _sent(response)).sourced)


def _fact_info(violation: FactViolation) -> dict[str, str]:
    fact = provenance.facts(load(violation.api))[violation.fact]
    return {
        "document": attribution.document_label(violation.api),
        "pointer": fact.pointer,
        "statement": fact.statement,
        "mark": str(fact.mark),
    }


def fact_of_failure(failure: Any) -> dict[str, str] | None:
    """The assumed fact behind a failure the run kept, when one is (for the report)."""
    return getattr(failure, _FACT, None)


def curl(request: httpx.Request) -> str:
    """A one-line reproduction of a request, credentials filtered out."""
    parts = ["curl", "-X", request.method, shlex.quote(str(request.url))]
    for name, value in request.headers.items():
        if name.lower() in ("host", "content-length", "accept-encoding", "connection", "user-agent"):
            continue
        shown = "[Filtered]" if name.lower() in CREDENTIAL_HEADERS else value
        parts += ["-H", shlex.quote(f"{name}: {shown}")]
    if request.content:
        parts += ["-d", shlex.quote(request.content.decode("utf-8", "replace")[:2000])]
    return " ".join(parts)


def operation_label(api: str, request: httpx.Request) -> str:
    """`METHOD /path/template` of the operation a request went to (the concrete path when none matches)."""
    candidates = [
        operation
        for operation in provenance.operations(load(api))
        if operation.method == request.method.lower()
        and attribution.path_params(operation.path, request.url.path) is not None
    ]
    # A literal segment wins over a template (`/jobs/abortAll` over `/jobs/{job_id}`), as in OpenAPI.
    candidates.sort(key=lambda operation: operation.path.count("{"))
    return f"{request.method} {candidates[0].path if candidates else request.url.path}"


_UNREAD = object()


class Verdicts:
    """How one run judges what it finds (see the module docstring).

    Attributes:
        policy: What the run forgives.
        recorder: Where contradicted assumptions go.
    """

    def __init__(self, policy: Policy, recorder: Recorder, memory: Memory) -> None:
        """Judge a run.

        Args:
            policy: What the run forgives.
            recorder: Where contradicted assumptions go.
            memory: What the run has seen of every job, which every read the lifecycle tests check must agree with.
        """
        self.policy = policy
        self.recorder = recorder
        self.memory = memory
        # The last response each API's lifecycle tests saw: the reproduction of an assertion about it.
        self._last: dict[str, httpx.Response] = {}

    def judge(self, failure: Any, case: Any, response: Any) -> bool:
        """Whether a schemathesis failure fails the run (schemathesis' `filter_failure` hook).

        A failure caused only by assumed facts, against a live server without --strict-assumptions, is recorded as a
        contradicted assumption and dropped; everything else is kept, with the fact behind it noted for the report.
        """
        check, found = attribute(failure, case, response)
        if isinstance(failure, CustomFailure) and isinstance(failure.exception, FactViolation):
            setattr(failure, _FACT, _fact_info(failure.exception))
        if found is None:
            return True
        if found.assumption_only and self.policy.forgives_assumptions:
            key = f"{api_of(case)} {case.operation.label}"
            for item in found.assumed:
                self.recorder.record_contradiction(
                    key, check, {**item.to_json(), "api": api_of(case), "reproduction": case.as_curl_command()}
                )
            return False
        if found.assumed and not hasattr(failure, _FACT):
            first = found.assumed[0]
            info = {
                "document": first.document,
                "pointer": first.pointer,
                "statement": first.fact,
                "mark": f"assumed: {first.assumed}",
            }
            setattr(failure, _FACT, info)
        return True

    def _record(self, api: str, request: httpx.Request | None, check: str | None, items: list[Any]) -> None:
        label = operation_label(api, request) if request is not None else "(lifecycle)"
        reproduction = curl(request) if request is not None else "(see the lifecycle test)"
        for item in items:
            self.recorder.record_contradiction(
                f"{api} {label}", check, {**item.to_json(), "api": api, "reproduction": reproduction}
            )

    def check_response(self, api: str, operation_id: str, response: httpx.Response, body: Any = _UNREAD) -> None:
        """Hold a response a lifecycle test got to the document.

        Args:
            api: The API.
            operation_id: The operation it answers.
            response: The response (read, unless `body` is given).
            body: Its body as the document's schema sees it, when the caller has it (a stream it has not read: a
                stand-in, so that only the status and the media type are judged); by default decoded from the response.

        Raises:
            DocumentViolation: It breaks a sourced fact, or an assumed one where assumptions are not forgiven.
        """
        self._last[api] = response
        content_type = response.headers.get("content-type")
        read = body is _UNREAD
        if read:
            sequence = json_sequence_media_type(api, operation_id, response.status_code) is not None
            try:
                body = decode_body(content_type, response.content, sequence=sequence)
            except ValueError:
                body = response.text
        found = attribution.response_attribution(api, operation_id, response.status_code, content_type, body)
        if not found.sourced and not found.assumed:
            if read:
                self._check_meaning(api, operation_id, response)
            return
        if found.assumption_only and self.policy.forgives_assumptions:
            self._record(api, response.request, None, found.assumed)
            return
        problems = found.sourced + [
            f"{item.fact} (assumed, {item.document}#{item.pointer}): {item.observed}" for item in found.assumed
        ]
        raise DocumentViolation(f"{response.request.method} {response.request.url}: {problems}")

    def _check_meaning(self, api: str, operation_id: str, response: httpx.Response) -> None:
        """Hold a success to the echoes declared on its operation (`x-echo`: it is about what was asked) and to what
        earlier reads showed of its jobs (`memory`, `x-jobs`)."""
        exchange = echo.from_httpx(api, response, operation_id)
        if exchange is None or not 200 <= response.status_code < 300:
            return
        found: list[tuple[str, str, bool]] = []
        broken = echo.first_broken(api, echo.operation_echoes(api, operation_id), exchange, exchange)
        if broken is not None:
            found.append((broken[0].name, broken[1], broken[0].mark.assumed))
        found.extend((each.fact, each.message, each.assumed) for each in self.memory.observe(api, exchange))
        for fact, observed, assumed in sorted(found, key=lambda each: each[2]):
            if not (assumed and self.policy.forgives_assumptions):
                known = provenance.facts(load(api))[fact]
                raise FactViolation(
                    api,
                    fact,
                    f"{fact}: {response.request.method} {response.request.url}: {observed}\n"
                    f"[{known.statement} ({known.mark})]",
                )
            self._record(api, response.request, None, attribution.fact_attribution(api, fact, observed).assumed)

    @contextmanager
    def expecting(self, api: str, fact: str, evidence: httpx.Response | httpx.Request | None = None) -> Iterator[None]:
        """Hold the assertions inside to a behaviour fact of the API's document.

        An assertion that fails is that fact's failure: against a live server without --strict-assumptions an assumed
        fact is recorded as contradicted and the test goes on; anything else fails the test, naming the fact.

        Args:
            api: The API.
            fact: The fact's name in its document's `x-facts`.
            evidence: The response (or request) the assertions are about, for the reproduction; by default the last
                response the API's lifecycle tests checked.
        """
        known = provenance.facts(load(api))
        if fact not in known:
            raise KeyError(f"openapi/{api}.yaml has no x-facts entry {fact!r}")
        try:
            yield
        except (FactViolation, DocumentViolation):
            raise
        except AssertionError as error:
            mark = known[fact].mark
            if mark.assumed and self.policy.forgives_assumptions:
                found = attribution.fact_attribution(
                    api, fact, str(error).splitlines()[0][:300] if str(error) else "assertion failed"
                )
                about = evidence if evidence is not None else self._last.get(api)
                request = about.request if isinstance(about, httpx.Response) else about
                self._record(api, request, None, found.assumed)
                return
            raise FactViolation(api, fact, f"{error}\n[{fact}: {known[fact].statement} ({mark})]") from None
