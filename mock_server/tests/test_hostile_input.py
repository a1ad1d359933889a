"""Hostile input against every simulator of the registry, on every operation: missing, malformed and wrong
credentials; odd ids; bodies over the limit; deeply nested and huge JSON; bytes that are not UTF-8; wrong content
types. Each gets a 4xx in the API's own error shape (or, where the API ignores what was sent, its normal answer), never
a 5xx, and nothing sent is echoed back or logged."""

import json
import logging
from collections.abc import AsyncIterator

import httpx
import pytest
from starlette.applications import Starlette

from mock_server.faults import FaultSettings
from mock_server.tests.apis import SIMULATOR_IDS, SIMULATORS, Call, Simulator, in_process, served

pytestmark = pytest.mark.anyio

LEAK_CHECK = "leak-check-credential-7Hq2"
MALFORMED_CREDENTIALS: dict[str, dict[str, str | bytes]] = {
    "empty": {"Authorization": ""},
    "scheme only": {"Authorization": "Bearer"},
    "other scheme": {"Authorization": f"Basic {LEAK_CHECK}"},
    "two spaces": {"Authorization": f"Key  Bearer {LEAK_CHECK}"},
    "control characters": {"Authorization": f"Bearer \t{LEAK_CHECK}\t"},
    "latin-1 bytes": {"Authorization": "Bearer caf\xe9-\xff".encode("latin-1")},
    "very long": {"Authorization": f"Bearer {LEAK_CHECK}{'x' * 16_000}"},
    "half of a pair": {"X-Auth-Email": "mock@example.com"},
    "wrong pair": {"X-Auth-Email": "mock@example.com", "X-Auth-Key": LEAK_CHECK},
}


@pytest.fixture(params=SIMULATORS, ids=SIMULATOR_IDS)
def simulator(request: pytest.FixtureRequest) -> Simulator:
    chosen: Simulator = request.param
    return chosen


@pytest.fixture
def app(simulator: Simulator) -> Starlette:
    return simulator.build(FaultSettings())


@pytest.fixture
async def anonymous(app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    async with in_process(app) as client:
        yield client


@pytest.fixture
async def client(app: Starlette, simulator: Simulator) -> AsyncIterator[httpx.AsyncClient]:
    async with in_process(app, headers=simulator.headers) as client:
        yield client


def assert_api_error(simulator: Simulator, response: httpx.Response, *, statuses: range = range(400, 500)) -> None:
    assert response.status_code in statuses, f"{response.request.method} {response.request.url}: {response.text}"
    assert simulator.error_problems(response) == [], response.text
    assert LEAK_CHECK not in response.text
    assert LEAK_CHECK not in str(response.headers)


def test_every_operation_has_a_call(simulator: Simulator, app: Starlette) -> None:
    assert set(simulator.calls(app)) == set(simulator.document.operations)


async def test_every_operation_succeeds_with_credentials(
    simulator: Simulator, app: Starlette, client: httpx.AsyncClient
) -> None:
    for operation_id, call in simulator.calls(app).items():
        response = await call.send(client)
        assert 200 <= response.status_code < 300, f"{operation_id}: {response.text}"


@pytest.mark.parametrize("credentials", ["none", "wrong", *MALFORMED_CREDENTIALS])
async def test_every_operation_refuses_missing_malformed_and_wrong_credentials(
    simulator: Simulator,
    app: Starlette,
    anonymous: httpx.AsyncClient,
    client: httpx.AsyncClient,
    credentials: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    chosen: dict[str, dict[str, str | bytes]] = {"none": {}, "wrong": dict(simulator.authorization(LEAK_CHECK))}
    headers = chosen.get(credentials) or MALFORMED_CREDENTIALS.get(credentials, {})
    before = await simulator.snapshot(app, client)
    with caplog.at_level(logging.DEBUG):
        for operation_id, call in simulator.calls(app).items():
            response = await call.send(anonymous, headers=headers)
            assert response.status_code in (400, 401, 403), f"{operation_id}: {response.text}"
            assert_api_error(simulator, response)
    assert not [record for record in caplog.records if LEAK_CHECK in server_log(record)]
    assert await simulator.snapshot(app, client) == before, "a refused request changed something"


# Odd ids in every path and query parameter.

ODD_IDS = [
    "..",
    "..%2F..%2F",
    "..%2F023e105f4ecef8ad9ca31a8372d0c353",
    "%2E%2E%2F%2E%2E",
    "%00",
    "%0D%0AX-Injected:%201",
    "%FF%FE",
    "%C3%A4%E2%82%AC%F0%9F%98%80",
    "%ED%A0%80",
    "a" * 4000,
    "1" * 400,
    "-1",
    "1e3",
    "0x10",
    "%20",
]


async def test_odd_ids_in_every_parameter_get_a_4xx_or_nothing_of_anyone_elses(
    simulator: Simulator, app: Starlette, client: httpx.AsyncClient
) -> None:
    before = await simulator.snapshot(app, client)
    for operation_id, call in simulator.calls(app).items():
        for variant in odd_variants(call):
            response = await variant.send(client)
            assert response.status_code < 500, f"{operation_id} {variant.path[:200]}: {response.text[:300]}"
            if response.status_code >= 400 and response.headers.get("content-type", "").startswith("application/"):
                assert_api_error(simulator, response)
            if 200 <= response.status_code < 300 and variant.method != "GET":
                # A write with an odd id that succeeded touched nothing that exists (e.g. an idempotent delete).
                assert await simulator.snapshot(app, client) == before, f"{operation_id} {variant.path[:200]}"


def odd_variants(call: Call) -> list[Call]:
    """The call with each path segment after the base, and each query value, replaced by each odd id."""
    path, _, query = call.path.partition("?")
    segments = path.split("/")
    variants = []
    for index, segment in enumerate(segments):
        if len(segment) < 8 and not segment.isdigit():
            continue  # fixed words of the path (jobs, abortAll, ...) and the base path
        for odd in ODD_IDS:
            replaced = "/".join([*segments[:index], odd, *segments[index + 1 :]])
            variants.append(Call(call.method, replaced + (f"?{query}" if query else ""), call.json))
    for pair in filter(None, query.split("&")):
        name = pair.split("=", 1)[0]
        for odd in [*ODD_IDS, ""]:
            changed = query.replace(pair, f"{name}={odd}")
            variants.append(Call(call.method, f"{path}?{changed}", call.json))
    return variants


# Bodies: over the limit, nested, huge, not UTF-8, of the wrong type.


async def test_a_body_over_the_limit_is_413_on_every_operation(
    simulator: Simulator, app: Starlette, client: httpx.AsyncClient
) -> None:
    too_big = b"{" + b" " * simulator.body_limit + b"}"
    for operation_id, call in simulator.calls(app).items():
        response = await call.send(client, content=too_big, headers={"Content-Type": "application/json"})
        assert response.status_code == 413, f"{operation_id}: {response.text[:300]}"
        assert_api_error(simulator, response)


async def test_a_streamed_body_over_the_limit_is_413(
    simulator: Simulator, app: Starlette, client: httpx.AsyncClient
) -> None:
    chunk = b" " * 65_536

    async def chunks() -> AsyncIterator[bytes]:
        for _ in range(simulator.body_limit // len(chunk) + 2):
            yield chunk

    for operation_id, call in simulator.calls(app).items():
        response = await client.request(call.method, call.path, content=chunks())
        assert "content-length" not in response.request.headers
        assert response.status_code == 413, f"{operation_id}: {response.text[:300]}"
        assert_api_error(simulator, response)


async def test_a_body_just_within_the_limit_is_read(simulator: Simulator, app: Starlette) -> None:
    body = json.dumps({"padding": "x" * (simulator.body_limit - 20)}).encode()
    assert len(body) <= simulator.body_limit
    async with in_process(app, headers=simulator.headers) as client:
        for operation_id, call in simulator.calls(app).items():
            response = await call.send(client, content=body, headers={"Content-Type": "application/json"})
            assert response.status_code != 413, operation_id
            assert response.status_code < 500, f"{operation_id}: {response.text[:300]}"


# Bodies that a body-taking operation must refuse; the others (a BOM, UTF-16, unknown keys) are valid JSON to
# Python's json module and the document, so they may be accepted, but never with a 5xx.
REFUSED_BODIES = {
    "nested arrays", "nested objects", "nested just parseable", "nested in a field", "nested in the keys",
    "huge array", "huge string", "big number", "not UTF-8", "NaN", "wrong content type", "form", "multipart",
    "no content type", "garbage content type", "empty",
}  # fmt: skip
HOSTILE_BODIES: dict[str, tuple[bytes, str | None]] = {
    "nested arrays": (b"[" * 100_000 + b"]" * 100_000, "application/json"),
    "nested objects": (b'{"a":' * 50_000 + b"1" + b"}" * 50_000, "application/json"),
    "nested just parseable": (b"[" * 900 + b"]" * 900, "application/json"),
    "nested in a field": (b'{"source":' + b"[" * 900 + b"]" * 900 + b"}", "application/json"),
    "nested in the keys": (
        b'{"source":{"vendor":"s3","bucket":"b","keys":' + b"[" * 900 + b"]" * 900 + b"}}",
        "application/json",
    ),
    "huge array": (b"[" + b"1," * 400_000 + b"1]", "application/json"),
    "huge string": (json.dumps({"source": {"bucket": "x" * 900_000}}).encode(), "application/json"),
    "many keys": (json.dumps({f"k{index}": index for index in range(60_000)}).encode(), "application/json"),
    "big number": (b'{"overwrite": 1' + b"0" * 5000 + b"}", "application/json"),
    "not UTF-8": (b'{"source": "\xff\xfe\xc3"}', "application/json"),
    "lone surrogate escape": (b'{"source": {"vendor": "s3", "bucket": "\\ud800"}}', "application/json"),
    "UTF-16": ('{"overwrite": true}'.encode("utf-16"), "application/json"),
    "BOM": (b'\xef\xbb\xbf{"overwrite": true}', "application/json"),
    "NaN": (b'{"overwrite": NaN}', "application/json"),
    "wrong content type": (b'{"overwrite": true}', "text/plain"),
    "form": (b"overwrite=true", "application/x-www-form-urlencoded"),
    "multipart": (b"--b\r\n\r\n--b--", "multipart/form-data; boundary=b"),
    "no content type": (b'{"overwrite": true}', None),
    "garbage content type": (b"{}", ";;;=\x7f"),
    "empty": (b"", "application/json"),
}


@pytest.mark.parametrize("body", HOSTILE_BODIES)
async def test_hostile_bodies_get_a_4xx_in_the_apis_shape_never_a_5xx(
    simulator: Simulator, app: Starlette, client: httpx.AsyncClient, body: str
) -> None:
    content, content_type = HOSTILE_BODIES[body]
    headers = {} if content_type is None else {"Content-Type": content_type}
    for operation_id, call in simulator.calls(app).items():
        response = await client.request(call.method, call.path, content=content, headers=headers)
        takes_body = simulator.document.operations[operation_id].request_body is not None
        if takes_body and body in REFUSED_BODIES:
            assert_api_error(simulator, response)
        else:
            # Valid after all, or sent to an operation that takes no body and reads none (it answers as if none had
            # been sent).
            assert response.status_code < 500, f"{operation_id}: {response.text[:300]}"
            if response.status_code >= 400:
                assert_api_error(simulator, response)


async def test_hostile_query_strings_and_headers_never_get_a_5xx(
    simulator: Simulator, app: Starlette, client: httpx.AsyncClient
) -> None:
    hostile_queries = ["%ff%fe=%ff", "a=" + "b" * 8000, "=&&=&", "job-id=1&job-id=2", "limit=%00", "%E2%80%AE=1"]
    hostile_headers = [
        {"Content-Type": b"\xff"},
        {"Accept": "text/html"},
        {"Content-Length": "0"},
        {"X-Forwarded-For": "10.0.0.1"},
        {"Host": "evil.example.com"},
        {"Cookie": "a=" + "c" * 4000},
    ]
    for operation_id, call in simulator.calls(app).items():
        separator = "&" if "?" in call.path else "?"
        for query in hostile_queries:
            response = await client.request(call.method, f"{call.path}{separator}{query}")
            assert response.status_code < 500, f"{operation_id} ?{query[:80]}: {response.text[:300]}"
        for headers in hostile_headers:
            response = await call.send(client, headers=headers)
            assert response.status_code < 500, f"{operation_id} {headers}: {response.text[:300]}"


async def test_secrets_sent_anywhere_never_come_back_or_reach_a_log(
    simulator: Simulator, app: Starlette, client: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    secret_body = {"token": LEAK_CHECK, "secret": {"secretAccessKey": LEAK_CHECK, "privateKey": LEAK_CHECK}}
    texts = []
    with caplog.at_level(logging.DEBUG):
        for call in simulator.calls(app).values():
            separator = "&" if "?" in call.path else "?"
            for variant in (
                Call(call.method, call.path, secret_body),
                Call(call.method, f"{call.path}{separator}token={LEAK_CHECK}"),
                Call(call.method, call.path, {"source": {"vendor": "s3", "secret": [LEAK_CHECK]}}),
            ):
                response = await variant.send(client, headers={"X-Api-Key": LEAK_CHECK})
                texts.append(response.text + str(response.headers))
    assert not [text for text in texts if LEAK_CHECK in text]
    assert not [record for record in caplog.records if LEAK_CHECK in server_log(record)]


def server_log(record: logging.LogRecord) -> str:
    """What the simulator (or uvicorn) logged; the test's own httpx client logs the URLs it calls, and is left out."""
    return "" if record.name.startswith(("httpx", "httpcore")) else record.getMessage() + str(record.exc_text)


def test_a_body_over_the_limit_gets_its_413_over_a_real_connection(simulator: Simulator, app: Starlette) -> None:
    """uvicorn reads and drops the rest of a refused body, so the client gets the 413, not a reset connection, and
    the connection serves the next request."""
    too_big = b"{" + b" " * (2 * simulator.body_limit) + b"}"
    call = next(iter(simulator.calls(app).values()))
    with served(app) as origin, httpx.Client(base_url=origin, headers=simulator.headers, timeout=30) as client:
        for headers in ({"Content-Type": "application/json"}, {"Content-Type": "text/plain"}):
            response = client.request(call.method, call.path, content=too_big, headers=headers)
            assert response.status_code == 413, response.text[:300]
            assert_api_error(simulator, response)
            assert client.request(call.method, call.path, json=call.json).status_code < 300
