"""The body of JobTailLog: a job's log entries as newline-delimited JSON, sent as they are written, until the job is
finalized.

Every entry already written goes out first, then the job is looked at again every `poll_interval` seconds and each
new entry is sent at once (one line, flushed). The stream ends when the job is finalized, after its last entries.
When the client goes away, Starlette cancels the generator, so a closed tail costs nothing.
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
    """Yield a job's log entries, one JSON line each, until the job is finalized.

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
