"""The body of JobTailLog: a job's log entries, sent as they are written, until the job is finalized.

Every entry already written goes out first, then the job is looked at again every `poll_interval` seconds and each
new entry is sent at once (flushed). The stream ends when the job is finalized, after its last entries. When the
client goes away, Starlette cancels the generator, so a closed tail costs nothing.

The framing is not documented (reference §6.1), and the document says only `application/json`, as Posit's spec does.
The simulator sends newline-delimited JSON, one entry per line, labelled `application/json`: an **assumption**, its
best model of the real server. Connect is a Go server (its 404 is Go's `404 page not found`), and Go's `json.Encoder`
ends every value it writes with a newline, so entries encoded one after another as they come are newline-delimited
JSON. Every reader in this project accepts the other framings too (`generator/runtime/_json_sequence.py`).
"""

import asyncio
from collections.abc import AsyncIterator, Callable
from typing import Any

from mock_server.connect.jobs import ConnectJobs
from mock_server.openapi.media_types import json_line

EntryCheck = Callable[[dict[str, Any]], None]


async def follow(
    jobs: ConnectJobs, guid: str, key: str, *, poll_interval: float, check: EntryCheck | None = None
) -> AsyncIterator[bytes]:
    """Yield a job's log entries, one JSON line each (newline-delimited JSON), until the job is finalized.

    Args:
        jobs: The state machine.
        guid: The content item's GUID.
        key: The job's key (already known to exist).
        poll_interval: Seconds between two looks at the job.
        check: Called with every entry before it is sent (strict mode validates it there and raises to abort).

    Yields:
        One line per entry.
    """
    sent = 0
    while True:
        entries, finalized = jobs.tail(guid, key, sent)
        for entry in entries:
            if check is not None:
                check(entry)
            yield json_line(entry)
        sent += len(entries)
        if finalized:
            return
        await asyncio.sleep(poll_interval)
