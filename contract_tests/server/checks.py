"""Checks every API's responses must pass beyond schemathesis' own: secrets never come back, credentials are enforced,
an answer is about what was asked (the document's `x-echo`).

Each check is a method of `SharedChecks` (bound to the run's recorder, which knows the run's credentials) with
schemathesis' signature `(ctx, response, case)`, and raises AssertionError with the evidence. Each enforces a fact
every API's document declares in its `x-facts` (`secrets-are-never-returned`, `credentials-are-enforced`), sourced or
assumed there.
"""

import json
from collections.abc import Iterator
from typing import Any

import httpx

from contract_tests.documents import load, operations, response_problems, sensitive_properties
from contract_tests.server import echo
from contract_tests.server.memory import Memory
from contract_tests.server.report import Recorder
from contract_tests.server.verdicts import api_of, enforces, operation_id_of, violated

MIN_SECRET_LENGTH = 8


def _walk(value: Any) -> Iterator[tuple[str, Any]]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield key, item
            yield from _walk(item)
    elif isinstance(value, list):
        for item in value:
            yield "", item
            yield from _walk(item)


def _credential_alternatives(api: str) -> list[list[str]]:
    """For each security alternative of the document, the headers that carry its credentials."""
    document = load(api)
    schemes = document.get("components", {}).get("securitySchemes", {})

    def header(name: str) -> str:
        scheme = schemes[name]
        return "Authorization" if scheme["type"] == "http" else scheme["name"]

    return [[header(name) for name in requirement] for requirement in document.get("security", [])]


class SharedChecks:
    """The checks of one run (`Run.checks` adds them to every API's own)."""

    def __init__(self, recorder: Recorder, memory: Memory) -> None:
        """Bind the checks to a run.

        Args:
            recorder: The run's recorder: its `secrets` are the run's credentials, which no response may echo.
            memory: What the run has seen of every job.
        """
        self.recorder = recorder
        self.memory = memory
        # The operations whose credentials were confirmed enforced: one confirmation per operation is enough.
        self._confirmed: set[str] = set()

    @enforces("secrets-are-never-returned")
    def no_secret_echo(self, ctx: Any, response: Any, case: Any) -> bool | None:
        """A response never carries a write-only property, nor the value of one sent in the request, nor the run's
        credentials (generated header values are not credentials: they can be any word, `success` included)."""
        sensitive = sensitive_properties(api_of(case))
        text = response.text or ""
        try:
            body = json.loads(text) if text else None
        except ValueError:
            body = None
        returned = sorted({key for key, _ in _walk(body)} & sensitive)
        assert not returned, f"the response carries write-only properties {returned}"
        sent = case.body if isinstance(case.body, dict | list) else None
        # Only the response's string values are searched (a generated secret such as "errors" is also an envelope key),
        # and a secret that was also sent as an ordinary value (a bucket named like it) may legitimately come back.
        returned_values = [value for _, value in _walk(body) if isinstance(value, str)]
        ordinary = [value for key, value in _walk(sent) if key not in sensitive and isinstance(value, str)]
        for key, value in _walk(sent):
            if key not in sensitive or not isinstance(value, str) or len(value) < MIN_SECRET_LENGTH:
                continue
            if any(value in other for other in ordinary):
                continue
            assert not any(value in returned for returned in returned_values), (
                f"the response echoes the value of `{key}` from the request"
            )
        for credential in self.recorder.secrets:
            assert credential not in text, "the response echoes one of the run's credentials"
        return None

    @enforces("reads-agree")
    def reads_agree(self, ctx: Any, response: Any, case: Any) -> bool | None:
        """Every job an answer shows agrees with what earlier reads showed of it (`memory`, the document's `x-jobs`):
        unchanging fields, legal status moves, a complete list that holds every job a get has shown. Each
        contradiction fails as the fact it breaks, with its own mark (a sourced one first)."""
        api, operation_id = api_of(case), operation_id_of(case)
        if operation_id is None:
            return None
        broken = self.memory.observe(api, echo.from_case(case, response, operation_id))
        if broken:
            first = min(broken, key=lambda found: found.assumed)
            raise violated(api, first.fact, first.message)
        return None

    @enforces("credentials-are-enforced")
    def credentials_are_enforced(self, ctx: Any, response: Any, case: Any) -> bool | None:
        """A request that succeeded with credentials fails without them, and with wrong ones, with a documented 4xx.

        schemathesis' own `ignored_auth` insists on 401/403; Cloudflare answers a request with no credentials with 400
        and code 9106 (openapi/README.md, "Conformance suite"), so this check accepts any 4xx the document declares.
        One confirmation per operation is enough.
        """
        api = api_of(case)
        label = f"{api} {case.operation.label}"
        if not 200 <= response.status_code < 300 or label in self._confirmed:
            return None
        alternatives = _credential_alternatives(api)
        credential_headers = {name.lower() for headers in alternatives for name in headers}
        request = response.request
        bare = {name: value for name, value in request.headers.items() if name.lower() not in credential_headers}
        probes = {"no credentials": bare}
        for headers in alternatives:
            wrong = {
                name: "Bearer wrong-credential" if name == "Authorization" else "wrong-credential" for name in headers
            }
            probes[f"wrong {' + '.join(headers)}"] = {**bare, **wrong}
        operation = next(
            op for op in operations(load(api)) if op.path == case.path and op.method == case.method.lower()
        )
        for scenario, headers in probes.items():
            probe = httpx.request(request.method, request.url, headers=headers, content=request.body, timeout=30)
            body = probe.json() if probe.headers.get("content-type", "").startswith("application/json") else probe.text
            assert 400 <= probe.status_code < 500, (
                f"with {scenario} the server answered {probe.status_code}, not a 4xx: {probe.text[:200]}"
            )
            problems = response_problems(
                api, operation.operation_id, probe.status_code, probe.headers.get("content-type", ""), body
            )
            assert problems == [], f"with {scenario}: {problems}"
        self._confirmed.add(label)
        return None


@enforces("answers-echo-the-request")
def answers_what_was_asked(ctx: Any, response: Any, case: Any) -> bool | None:
    """Every echo the document declares holds (`echo`): on the operation's own success, and on its links' (the linked
    read is made here, with the same credentials, and must repeat what the link leaves from). Each broken echo fails
    as the fact it is, with its own mark."""
    api, operation_id = api_of(case), operation_id_of(case)
    if operation_id is None or not 200 <= response.status_code < 300:
        return None
    asked = echo.from_case(case, response, operation_id)
    found = echo.first_broken(api, echo.operation_echoes(api, operation_id), asked, asked)
    if found is not None:
        raise violated(api, found[0].name, f"{operation_id} answered about something else: {found[1]}")
    for name, echoes in echo.link_echoes(api, operation_id, response.status_code).items():
        request = echo.follow(api, echoes[0], asked)
        if request is None:
            continue
        with httpx.Client(timeout=30) as client:
            linked = client.send(request)
        answered = echo.from_httpx(api, linked, echoes[0].target)
        if answered is None or not 200 <= linked.status_code < 300:
            continue
        found = echo.first_broken(api, echoes, asked, answered)
        if found is not None:
            raise violated(
                api, found[0].name, f"after {operation_id}, its link {name} ({echoes[0].target}) disagrees: {found[1]}"
            )
    return None
