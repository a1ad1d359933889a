"""The hand-written Connect runtime (generator/runtime/connect/), tested where the generator puts it:
generated_client/connect/log_tail.py, log_download.py and _streams.py, and how Connect's errors read
(error_details.py, through errors.py).

Streams come from httpx.MockTransport handlers that hold their next chunk back until the consumer has seen the
previous one, so a client that buffered until the end would be caught, and from a raw socket server for what only
a real connection shows (a read timeout, a close in the middle of a stream).
"""

import asyncio
import json
import threading
import tracemalloc
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from contract_tests.client.runtime.framings import CASES, ENTRIES, Framed
from contract_tests.stalling import StallingServer, chunked
from generated_client.connect import AuthenticatedClient, RetryPolicy, unwrap
from generated_client.connect._json_sequence import NDJSON, JSONSequenceReader
from generated_client.connect.error_details import read_error_details
from generated_client.connect.errors import (
    ENDPOINT_NOT_AVAILABLE,
    APIConnectionError,
    APIStatusError,
    AuthenticationError,
    EndpointNotAvailable,
    NotFoundError,
    PermissionDeniedError,
    ServerError,
    error_for_response,
)
from generated_client.connect.log_download import (
    attachment_filename,
    download_job_log,
    download_job_log_async,
    stream_job_log,
    stream_job_log_async,
)
from generated_client.connect.log_tail import (
    MAX_ENTRY_BYTES,
    LogStreamError,
    TailTimeout,
    tail_job_log,
    tail_job_log_async,
)
from generated_client.connect.models import LogEntry, LogSource
from generated_client.connect.types import UNSET, Response

BASE_URL = "https://connect.example.com/__api__"
GUID = "8f37d6e0-3395-4a2c-aa6a-d7f2fe1babd0"
KEY = "IuzpAzG329zvnt9s"
API_KEY = "kWx3RZbQ9vB7sT2mLp4nYc8dHf6gJa1e"
TAIL_PATH = f"/__api__/v1/content/{GUID}/jobs/{KEY}/tail"
DOWNLOAD_PATH = f"/__api__/v1/content/{GUID}/jobs/{KEY}/download"
WAIT = 5.0


def entry(number: int, source: str = "stdout") -> dict[str, str]:
    return {"source": source, "timestamp": f"2025-01-14T09:02:{number:02d}.519873004Z", "data": f"line {number}"}


def line(number: int, source: str = "stdout") -> bytes:
    return json.dumps(entry(number, source)).encode() + b"\n"


def connect_client(handler: Callable[[httpx.Request], Any]) -> AuthenticatedClient:
    # Retries are tested in test_retries.py; here a failure must reach the helper at once.
    return AuthenticatedClient(
        base_url=BASE_URL,
        token=API_KEY,
        prefix="Key",
        retry=RetryPolicy.disabled(),
        httpx_args={"transport": httpx.MockTransport(handler)},
    )


class _Held:
    """Chunks, and how many entries the consumer has seen (`saw_one`); a body sends the next chunk only after that
    many, or gives up waiting (`waited_in_vain`). Not itself a body: httpx would take a sync one for an async one."""

    def __init__(self, chunks: list[bytes]) -> None:
        self.chunks = chunks
        self.seen = 0
        self.waited_in_vain = False


class HeldBack(_Held):
    """A sync body that sends its next chunk only once the consumer has seen as many entries as chunks sent."""

    def __init__(self, chunks: list[bytes]) -> None:
        super().__init__(chunks)
        self.changed = threading.Condition()

    def saw_one(self) -> None:
        with self.changed:
            self.seen += 1
            self.changed.notify_all()

    def __iter__(self) -> Iterator[bytes]:
        for index, chunk in enumerate(self.chunks):
            with self.changed:
                if not self.changed.wait_for(lambda index=index: self.seen >= index, timeout=2.0):
                    self.waited_in_vain = True
            yield chunk


class AsyncHeldBack(_Held):
    """`HeldBack` for an async body."""

    def __init__(self, chunks: list[bytes]) -> None:
        super().__init__(chunks)
        self.seen_more = asyncio.Event()

    def saw_one(self) -> None:
        self.seen += 1
        self.seen_more.set()

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for index, chunk in enumerate(self.chunks):
            while self.seen < index:
                self.seen_more.clear()
                try:
                    await asyncio.wait_for(self.seen_more.wait(), timeout=2.0)
                except TimeoutError:
                    self.waited_in_vain = True
                    break
            yield chunk


# The tail


def test_the_tail_yields_each_entry_before_the_next_line_is_even_sent() -> None:
    body = HeldBack([line(1), line(2, "stderr"), line(3)])
    requests: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        requests.append(request)
        return httpx.Response(200, headers={"Content-Type": "application/json"}, content=body)

    received = []
    with tail_job_log(GUID, KEY, client=connect_client(handler)) as entries:
        for item in entries:
            received.append((item.source, item.data))
            body.saw_one()

    assert received == [(LogSource.STDOUT, "line 1"), (LogSource.STDERR, "line 2"), (LogSource.STDOUT, "line 3")]
    assert not body.waited_in_vain, "the tail read ahead before handing out the entries it had"
    assert requests[0].url.path == TAIL_PATH
    assert requests[0].headers["Authorization"] == f"Key {API_KEY}"


def test_the_async_tail_yields_each_entry_before_the_next_line_is_even_sent() -> None:
    async def run() -> tuple[list[str], bool]:
        body = AsyncHeldBack([line(1), line(2), line(3)])

        def handler(request: httpx.Request) -> httpx.Response:
            return httpx.Response(200, content=body)

        received = []
        async with tail_job_log_async(GUID, KEY, client=connect_client(handler)) as entries:
            async for item in entries:
                received.append(item.data)
                body.saw_one()
        return received, body.waited_in_vain

    received, waited_in_vain = asyncio.run(run())

    assert received == ["line 1", "line 2", "line 3"]
    assert not waited_in_vain


@pytest.mark.parametrize(
    "chunks",
    [
        pytest.param([line(1)[:10], line(1)[10:] + line(2)[:-1], b"\n"], id="lines-split-across-chunks"),
        pytest.param([b"\n", line(1), b"\r\n   \n", line(2).rstrip(b"\n")], id="blank-lines-and-no-final-newline"),
        pytest.param([line(1) + line(2)], id="two-lines-in-one-chunk"),
    ],
)
def test_newline_delimited_json_is_one_entry_per_line(chunks: list[bytes]) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=iter(chunks))

    with tail_job_log(GUID, KEY, client=connect_client(handler)) as entries:
        assert [item.data for item in entries] == ["line 1", "line 2"]
        assert entries.framing == NDJSON


EXPECTED = [(value["source"], value["data"]) for value in ENTRIES]


def _seen(item: LogEntry) -> tuple[str, str]:
    return item.source.value, item.data


def _entry_chunks(case: Framed) -> list[bytes]:
    """The body in chunks that each complete one entry (the last one holds what follows the last entry)."""
    reader, chunks, start = JSONSequenceReader(case.content_type), [], 0
    for end in range(1, len(case.body) + 1):
        if reader.feed(case.body[end - 1 : end]):
            chunks.append(case.body[start:end])
            start = end
    return [*chunks, case.body[start:]]


def _tail_response(case: Framed, content: Any) -> Callable[[httpx.Request], httpx.Response]:
    headers = {} if case.content_type is None else {"Content-Type": case.content_type}
    return lambda request: httpx.Response(200, headers=headers, content=content)


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_every_framing_is_followed_entry_by_entry_as_it_arrives(case: Framed) -> None:
    body = HeldBack(_entry_chunks(case))
    received = []
    with tail_job_log(GUID, KEY, client=connect_client(_tail_response(case, body))) as entries:
        for item in entries:
            received.append(_seen(item))
            body.saw_one()
        assert entries.framing == case.framing

    assert received == EXPECTED
    assert not body.waited_in_vain, "the tail read ahead before handing out the entries it had"


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_every_framing_is_followed_asynchronously_entry_by_entry(case: Framed) -> None:
    async def run() -> tuple[list[tuple[str, str]], str | None, bool]:
        body = AsyncHeldBack(_entry_chunks(case))
        received = []
        async with tail_job_log_async(GUID, KEY, client=connect_client(_tail_response(case, body))) as entries:
            async for item in entries:
                received.append(_seen(item))
                body.saw_one()
            return received, entries.framing, body.waited_in_vain

    assert asyncio.run(run()) == (EXPECTED, case.framing, False)


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_every_framing_survives_a_split_at_every_byte(case: Framed) -> None:
    # One byte per chunk: every entry is split at every position at once.
    def one_byte_at_a_time() -> Iterator[bytes]:
        for index in range(len(case.body)):
            yield case.body[index : index + 1]

    async def one_byte_at_a_time_async() -> AsyncIterator[bytes]:
        for chunk in one_byte_at_a_time():
            yield chunk

    async def follow_async() -> tuple[list[tuple[str, str]], str | None]:
        client = connect_client(_tail_response(case, one_byte_at_a_time_async()))
        async with tail_job_log_async(GUID, KEY, client=client) as entries:
            return [_seen(item) async for item in entries], entries.framing

    with tail_job_log(GUID, KEY, client=connect_client(_tail_response(case, one_byte_at_a_time()))) as entries:
        assert ([_seen(item) for item in entries], entries.framing) == (EXPECTED, case.framing)
    assert asyncio.run(follow_async()) == (EXPECTED, case.framing)


def test_a_character_split_between_chunks_survives() -> None:
    encoded = json.dumps({"source": "stdout", "timestamp": "2025-01-14T09:02:00Z", "data": "Zürich €"}).encode()
    encoded = encoded.replace(b"\\u00fc", "ü".encode()).replace(b"\\u20ac", "€".encode())
    middle = encoded.index("€".encode()) + 1

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=iter([encoded[:middle], encoded[middle:] + b"\n"]))

    with tail_job_log(GUID, KEY, client=connect_client(handler)) as entries:
        assert [item.data for item in entries] == ["Zürich €"]


@pytest.mark.parametrize(
    ("bad", "reason"),
    [
        (b"not json\n", "not JSON"),
        (b"[1, 2]\n", "a JSON list, not an object"),
        (b'{"source": "stdout", "timestamp": 1736845320}\n', "TypeError"),
    ],
)
def test_an_entry_that_is_not_a_log_entry_is_named(bad: bytes, reason: str) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=iter([line(1), b"\n", bad, line(4)]))

    received = []
    with (  # noqa: PT012
        pytest.raises(LogStreamError, match=reason) as raised,
        tail_job_log(GUID, KEY, client=connect_client(handler)) as entries,
    ):
        for item in entries:
            received.append(item.data)

    assert raised.value.entry_number == 2
    assert received == ["line 1"]


def test_an_entry_with_a_source_the_document_does_not_list_is_read() -> None:
    # Issue 14: a response enum is open. (It used to end the tail with a ValueError.)
    def handler(request: httpx.Request) -> httpx.Response:
        stdin = b'{"source": "stdin", "timestamp": "2025-01-14T09:02:00Z", "data": "x"}\n'
        return httpx.Response(200, content=iter([line(1), b"\n", stdin, line(4)]))

    with tail_job_log(GUID, KEY, client=connect_client(handler)) as entries:
        received = list(entries)

    assert [item.source for item in received][1] == "stdin"
    assert [item.data for item in received] == ["line 1", "x", "line 4"]


def test_an_entry_without_what_the_document_only_assumes_is_read() -> None:
    # `source`, `timestamp` and `data` are required by assumption only (openapi/connect.yaml): a server that leaves
    # one out still sends a log entry, and the tail goes on.
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=iter([line(1), b"\n", b'{"source": "stdout"}\n', line(3)]))

    with tail_job_log(GUID, KEY, client=connect_client(handler)) as entries:
        received = list(entries)

    assert [item.data for item in received] == ["line 1", UNSET, "line 3"]
    assert (received[1].source, received[1].timestamp) == (LogSource.STDOUT, UNSET)


def test_a_bad_event_is_named_with_where_it_starts_and_the_framing() -> None:
    body = b"data: " + line(1) + b"\n: ping\n\ndata: {nope}\n\n"

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=body, headers={"Content-Type": "text/event-stream"})

    where = f"at byte {body.index(b'data: {nope}')} of server-sent events"
    with (
        pytest.raises(LogStreamError, match=f"entry 2 .*not JSON.*{where}") as raised,
        tail_job_log(GUID, KEY, client=connect_client(handler)) as entries,
    ):
        for _ in entries:
            pass
    assert raised.value.entry_number == 2


@pytest.mark.parametrize(
    ("start", "more"),
    [
        pytest.param(b"", b"x" * 65536, id="a-value-without-an-end"),
        pytest.param(b'{"data": "', b"x" * 65536, id="a-string-without-an-end"),
        pytest.param(b"data: ", b"x" * 65535 + b"\ndata: ", id="an-event-without-an-end"),
    ],
)
def test_an_entry_that_never_ends_is_not_buffered_without_end(start: bytes, more: bytes) -> None:
    sent = []
    framed = b"data: " + line(1) + b"\n" if start.startswith(b"data") else line(1)

    def endless() -> Iterator[bytes]:
        yield framed + start
        while True:
            sent.append(len(more))
            yield more

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=endless())

    received = []
    with (  # noqa: PT012
        pytest.raises(LogStreamError, match="longer than") as raised,
        tail_job_log(GUID, KEY, client=connect_client(handler)) as entries,
    ):
        for item in entries:
            received.append(item.data)

    assert raised.value.entry_number == 2
    assert received == ["line 1"]
    assert sum(sent) <= MAX_ENTRY_BYTES + 65536


def test_endless_keep_alives_are_not_held() -> None:
    reader = JSONSequenceReader(max_value_bytes=1024)
    for _ in range(1000):
        assert reader.feed(b"\n \r\n\x1e") == []
    sse = JSONSequenceReader("text/event-stream", max_value_bytes=1024)
    for _ in range(1000):
        assert sse.feed(b": keep-alive\n\n") == []


@pytest.mark.parametrize(
    ("status", "content", "content_type", "expected", "message"),
    [
        (404, b"404 page not found\n", "text/plain; charset=utf-8", EndpointNotAvailable, ENDPOINT_NOT_AVAILABLE),
        (
            404,
            b'{"code":4,"error":"The requested object does not exist.","payload":null}',
            "application/json",
            NotFoundError,
            "404 Not Found: Connect error 4: The requested object does not exist.",
        ),
        (
            401,
            b'{"code":24,"error":"The requested operation requires authentication.","payload":null}',
            "application/json",
            AuthenticationError,
            "401 Unauthorized: Connect error 24",
        ),
        (502, b"<html>Bad Gateway</html>", "text/html", ServerError, "502 Bad Gateway: '<html>Bad Gateway</html>'"),
    ],
)
def test_a_failure_is_raised_when_the_tail_opens(
    status: int, content: bytes, content_type: str, expected: type[APIStatusError], message: str
) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(status, content=content, headers={"Content-Type": content_type})

    tail = tail_job_log(GUID, KEY, client=connect_client(handler))
    with pytest.raises(expected, match=message) as raised, tail:
        pytest.fail("the tail opened")

    assert type(raised.value) is expected
    assert raised.value.status_code == status
    assert raised.value.content == content
    assert API_KEY not in str(raised.value)


def test_an_endless_error_body_is_not_read_to_its_end() -> None:
    def endless() -> Iterator[bytes]:
        while True:
            yield b"x" * 4096

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(500, content=endless())

    with pytest.raises(ServerError) as raised:
        tail_job_log(GUID, KEY, client=connect_client(handler)).open()

    assert len(raised.value.content) == 64 * 1024


def test_closing_the_tail_stops_it_at_once() -> None:
    body = HeldBack([line(1), line(2), line(3)])

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=body)

    tail = tail_job_log(GUID, KEY, client=connect_client(handler)).open()
    received = []
    for item in tail:
        received.append(item.data)
        body.saw_one()
        tail.close()

    assert received == ["line 1"]
    assert tail.response is not None
    assert tail.response.is_closed
    assert list(tail) == []


def test_a_read_timeout_becomes_a_tail_timeout() -> None:
    def stalls() -> Iterator[bytes]:
        yield line(1)
        raise httpx.ReadTimeout("timed out")

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=stalls())

    received = []
    with (  # noqa: PT012
        pytest.raises(TailTimeout, match=r"within 0\.5 s"),
        tail_job_log(GUID, KEY, client=connect_client(handler), timeout=0.5) as entries,
    ):
        for item in entries:
            received.append(item.data)
    assert received == ["line 1"]


@pytest.fixture
def stalling_server() -> Iterator[StallingServer]:
    """One connection: a chunked 200 that sends one tail line, then nothing, until the client goes away."""
    server = StallingServer(chunked("application/json", line(1)), wait=WAIT)
    yield server
    server.close()


def test_a_silent_tail_times_out_over_a_real_connection_and_closes_it(stalling_server: StallingServer) -> None:
    client = AuthenticatedClient(base_url=f"{stalling_server.origin}/__api__", token=API_KEY, prefix="Key")
    received = []

    with (  # noqa: PT012
        pytest.raises(TailTimeout),
        client,
        tail_job_log(GUID, KEY, client=client, timeout=0.3) as entries,
    ):
        for item in entries:
            received.append(item.data)

    assert received == ["line 1"]
    assert stalling_server.client_went_away.wait(WAIT)


def test_leaving_a_tail_early_closes_the_real_connection(stalling_server: StallingServer) -> None:
    client = AuthenticatedClient(base_url=f"{stalling_server.origin}/__api__", token=API_KEY, prefix="Key")

    with client, tail_job_log(GUID, KEY, client=client) as entries:
        first = next(iter(entries))

    assert first.data == "line 1"
    assert stalling_server.client_went_away.wait(WAIT)


def test_the_async_tail_reports_failures_and_timeouts() -> None:
    def stalls() -> Iterator[bytes]:
        yield line(1)
        raise httpx.ReadTimeout("timed out")

    async def run() -> list[str]:
        async def missing(request: httpx.Request) -> httpx.Response:
            return httpx.Response(404, content=b"404 page not found\n", headers={"Content-Type": "text/plain"})

        with pytest.raises(EndpointNotAvailable):
            async with tail_job_log_async(GUID, KEY, client=connect_client(missing)):
                pytest.fail("the tail opened")

        async def stalling(request: httpx.Request) -> httpx.Response:
            async def body() -> AsyncIterator[bytes]:
                for chunk in stalls():
                    yield chunk

            return httpx.Response(200, content=body())

        received = []
        with pytest.raises(TailTimeout):  # noqa: PT012
            async for item in tail_job_log_async(GUID, KEY, client=connect_client(stalling), timeout=1.0):
                received.append(item.data)
        return received

    assert asyncio.run(run()) == ["line 1"]


# The download


def log_text(lines: int) -> bytes:
    return b"".join(f"[rsc-session] line {number}\n".encode() for number in range(lines))


def download_handler(
    content: Any, headers: dict[str, str] | None = None, requests: list[httpx.Request] | None = None
) -> Callable[[httpx.Request], httpx.Response]:
    def handler(request: httpx.Request) -> httpx.Response:
        if requests is not None:
            requests.append(request)
        return httpx.Response(
            200, content=content, headers={"Content-Type": "text/plain; charset=utf-8", **(headers or {})}
        )

    return handler


def test_the_download_hands_out_chunks_as_they_arrive_with_the_servers_file_name() -> None:
    body = HeldBack([b"first\n", b"second\n", b"third\n"])
    disposition = 'attachment; filename="rstudio-connect.52389.0.127015.run_app.IuzpAzG329zvnt9s.log"'
    requests: list[httpx.Request] = []

    chunks = []
    client = connect_client(download_handler(body, {"Content-Disposition": disposition}, requests))
    with stream_job_log(GUID, KEY, client=client, filename="mine.log") as download:
        assert download.filename == "rstudio-connect.52389.0.127015.run_app.IuzpAzG329zvnt9s.log"
        for chunk in download:
            chunks.append(chunk)
            body.saw_one()

    assert chunks == [b"first\n", b"second\n", b"third\n"]
    assert not body.waited_in_vain
    assert requests[0].url.path == DOWNLOAD_PATH
    assert requests[0].url.params["filename"] == "mine.log"


def test_a_big_log_is_written_to_a_file_without_being_held_in_memory(tmp_path: Path) -> None:
    chunk = b"x" * 65535 + b"\n"
    chunks = 256  # 16 MiB

    def body() -> Iterator[bytes]:
        for _ in range(chunks):
            yield chunk

    client = connect_client(download_handler(body()))
    tracemalloc.start()
    try:
        saved = download_job_log(GUID, KEY, tmp_path / "job.log", client=client)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert saved.size == len(chunk) * chunks
    assert saved.path == tmp_path / "job.log"
    assert saved.path.stat().st_size == saved.size
    assert peak < 2 * 1024 * 1024, f"{peak} bytes held at once"


def test_a_download_into_a_folder_uses_the_servers_name_reduced_to_a_file_name(tmp_path: Path) -> None:
    disposition = "attachment; filename=\"evil.log\"; filename*=UTF-8''..%2F..%2Fr%C3%A9sum%C3%A9.log"
    client = connect_client(download_handler(log_text(3), {"Content-Disposition": disposition}))

    saved = download_job_log(GUID, KEY, tmp_path, client=client)

    assert saved.filename == "résumé.log"
    assert saved.path == tmp_path / "résumé.log"
    assert saved.path.read_bytes() == log_text(3)
    assert sorted(path.name for path in tmp_path.iterdir()) == ["résumé.log"]


def test_a_download_into_a_folder_without_a_server_name_gets_guid_and_key(tmp_path: Path) -> None:
    saved = download_job_log(GUID, KEY, tmp_path, client=connect_client(download_handler(log_text(1))))

    assert saved.filename is None
    assert saved.path == tmp_path / f"{GUID}.{KEY}.log"


def test_a_download_to_a_file_object_leaves_it_open(tmp_path: Path) -> None:
    with (tmp_path / "out.log").open("wb") as file:
        saved = download_job_log(GUID, KEY, file, client=connect_client(download_handler(log_text(5))))
        assert not file.closed

    assert (saved.path, saved.size) == (None, len(log_text(5)))
    assert (tmp_path / "out.log").read_bytes() == log_text(5)


def test_a_broken_download_leaves_no_file_behind(tmp_path: Path) -> None:
    def breaks() -> Iterator[bytes]:
        yield log_text(10)
        raise httpx.ReadError("connection reset")

    with pytest.raises(APIConnectionError, match="connection reset") as raised:
        download_job_log(GUID, KEY, tmp_path / "job.log", client=connect_client(download_handler(breaks())))

    assert isinstance(raised.value.__cause__, httpx.ReadError)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("status", "content", "expected"),
    [
        (404, b"404 page not found\n", EndpointNotAvailable),
        (
            403,
            b'{"code":22,"error":"You don\'t have permission to perform this operation.","payload":null}',
            PermissionDeniedError,
        ),
    ],
)
def test_a_failed_download_raises_and_writes_nothing(
    tmp_path: Path, status: int, content: bytes, expected: type[APIStatusError]
) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(status, content=content)

    with pytest.raises(expected) as raised:
        download_job_log(GUID, KEY, tmp_path / "job.log", client=connect_client(handler))

    assert type(raised.value) is expected
    assert list(tmp_path.iterdir()) == []


def test_the_async_download_streams_to_a_file_and_as_chunks(tmp_path: Path) -> None:
    async def run() -> tuple[list[bytes], bool, Any]:
        body = AsyncHeldBack([b"first\n", b"second\n"])
        client = connect_client(download_handler(body, {"Content-Disposition": 'attachment; filename="a.log"'}))
        chunks = []
        async with stream_job_log_async(GUID, KEY, client=client) as download:
            assert download.filename == "a.log"
            async for chunk in download:
                chunks.append(chunk)
                body.saw_one()

        async def whole() -> AsyncIterator[bytes]:
            yield log_text(4)

        saved = await download_job_log_async(GUID, KEY, tmp_path, client=connect_client(download_handler(whole())))
        return chunks, body.waited_in_vain, saved

    chunks, waited_in_vain, saved = asyncio.run(run())

    assert chunks == [b"first\n", b"second\n"]
    assert not waited_in_vain
    assert saved.path.read_bytes() == log_text(4)


@pytest.mark.parametrize(
    ("header", "name"),
    [
        (None, None),
        ("attachment", None),
        ('attachment; filename="job.log"', "job.log"),
        ("attachment; filename=job.log", "job.log"),
        ('attachment; filename="C:\\\\logs\\\\job.log"', "job.log"),
        ('attachment; filename=".."', None),
        ("attachment; filename*=UTF-8''%E2%82%AC.log; filename=\"_.log\"", "€.log"),
    ],
)
def test_attachment_filename(header: str | None, name: str | None) -> None:
    assert attachment_filename(header) == name


# Telling a missing endpoint from a missing job


@pytest.mark.parametrize(
    ("status", "content", "missing"),
    [
        (404, b"404 page not found\n", True),
        (404, b"", True),
        (404, b"<html>Not Found</html>", True),
        (404, b'{"code": 4, "error": "The requested object does not exist.", "payload": null}', False),
        (404, b'{"code": true, "error": "x"}', True),
        (404, b'{"message": "Not Found"}', True),
        (400, b"404 page not found\n", False),
        (200, b"", False),
    ],
)
def test_a_404_without_connects_error_is_a_missing_endpoint(status: int, content: bytes, missing: bool) -> None:
    error = error_for_response(status, content)
    assert isinstance(error, EndpointNotAvailable) is missing
    if status == 404 and not missing:
        assert isinstance(error, NotFoundError)


def test_unwrap_tells_a_missing_endpoint_from_a_missing_job() -> None:
    found = Response(status_code=404, content=b'{"code":4,"error":"x"}', headers={}, parsed=None)
    missing = Response(status_code=404, content=b"404 page not found\n", headers={}, parsed=None)

    with pytest.raises(NotFoundError) as raised:
        unwrap(found)
    assert type(raised.value) is NotFoundError
    assert raised.value.details is not None
    assert raised.value.details.code == 4
    with pytest.raises(EndpointNotAvailable, match=r"'404 page not found'.*Connect 2022\.10\.0 or newer"):
        unwrap(missing)


def test_connects_error_body_is_read_only_when_it_is_one() -> None:
    error = read_error_details({"code": 163, "error": "The specified job cannot be terminated", "payload": None})

    assert error is not None
    assert (error.code, error.error) == (163, "The specified job cannot be terminated")
    assert read_error_details({"code": "163", "error": "x"}) is None
    assert read_error_details({"code": True, "error": "x"}) is None
    assert read_error_details([{"code": 1}]) is None
    assert read_error_details(None) is None
