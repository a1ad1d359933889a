"""Polling until something is done, within a deadline: what every `wait_for_job` helper is made of.

Hand-written; copied into every generated package by `python -m generator` (source: generator/runtime/).

Each poll is one request whose own timeout never reaches past the deadline and that the transport does not retry
(`single_attempt`): the loop itself retries. A poll that fails in a way worth trying again (no answer, 408, 429,
5xx) counts against the client's `RetryPolicy.max_retries` in a row and waits as the policy says (`Retry-After`
included), never past the deadline; any other failure is raised at once. Between successful polls the wait starts
at `interval` and grows by half each time, up to `max_interval`.
"""

import asyncio
import time
from collections.abc import Awaitable, Callable
from types import ModuleType
from typing import Any, TypeVar

import httpx

from . import errors
from ._responses import asend, send, unwrap
from .client import AuthenticatedClient, Client
from .retries import RetryPolicy

T = TypeVar("T")
M = TypeVar("M")

# The wait between polls grows by this factor after every poll that saw no end, up to `max_interval`.
_GROWTH = 1.5


def is_transient(error: errors.APIError) -> bool:
    """Whether a failed poll is worth trying again: no answer, or 408, 429 or a 5xx."""
    if isinstance(error, errors.APIConnectionError):
        return True
    return isinstance(error, errors.APIStatusError) and (
        error.status_code in (408, 429) or 500 <= error.status_code <= 599
    )


def single_attempt(kwargs: dict[str, Any], client_timeout: httpx.Timeout | None, remaining: float) -> dict[str, Any]:
    """An endpoint's request arguments, made into one attempt that ends by the deadline.

    Args:
        kwargs: What the endpoint's `_get_kwargs` returned.
        client_timeout: The client's timeout.
        remaining: The seconds left before the deadline.

    Returns:
        The arguments with a timeout no longer than `remaining` and the transport's retries turned off.
    """
    bound = max(remaining, 0.001)
    base = client_timeout or httpx.Timeout(None)
    timeout = httpx.Timeout(
        connect=_at_most(base.connect, bound),
        read=_at_most(base.read, bound),
        write=_at_most(base.write, bound),
        pool=_at_most(base.pool, bound),
    )
    return {**kwargs, "timeout": timeout, "extensions": {"retry": RetryPolicy.disabled().httpx_retry()}}


def _at_most(value: float | None, bound: float) -> float:
    return bound if value is None else min(value, bound)


def fetcher(
    client: AuthenticatedClient | Client,
    endpoint: ModuleType,
    kwargs: dict[str, Any],
    expected: type[M],
    pick: Callable[[M], T],
) -> Callable[[float], T]:
    """One poll of a generated endpoint, as `poll_until` calls it.

    Args:
        client: The client to send with.
        endpoint: The generated endpoint module (its `_build_response` reads the answer).
        kwargs: What the endpoint's `_get_kwargs` returned for this call.
        expected: The success model.
        pick: What of the success model is the poll's result.

    Returns:
        A function of the seconds left that sends one attempt and returns its result, or raises its error.
    """

    def fetch(remaining: float) -> T:
        response = send(client, single_attempt(kwargs, client.get_httpx_client().timeout, remaining))
        return pick(unwrap(endpoint._build_response(client=client, response=response), expected))

    return fetch


def afetcher(
    client: AuthenticatedClient | Client,
    endpoint: ModuleType,
    kwargs: dict[str, Any],
    expected: type[M],
    pick: Callable[[M], T],
) -> Callable[[float], Awaitable[T]]:
    """`fetcher` with the client's `httpx.AsyncClient`."""

    async def fetch(remaining: float) -> T:
        attempt = single_attempt(kwargs, client.get_async_httpx_client().timeout, remaining)
        response = await asend(client, attempt)
        return pick(unwrap(endpoint._build_response(client=client, response=response), expected))

    return fetch


def same(value: T) -> T:
    """The poll's result is the success model itself."""
    return value


class Poller:
    """The schedule of one wait: the deadline, the next wait, the failures in a row."""

    def __init__(self, *, timeout: float, interval: float, max_interval: float, policy: RetryPolicy) -> None:
        if timeout <= 0 or interval <= 0 or max_interval < interval:
            raise ValueError(
                f"need timeout > 0, interval > 0 and max_interval >= interval (got {timeout}, {interval}, "
                f"{max_interval})"
            )
        self.deadline = time.monotonic() + timeout
        self.timeout = timeout
        self._interval = interval
        self._max_interval = max_interval
        self._policy = policy
        self._failures = 0

    def remaining(self) -> float:
        """The seconds left before the deadline (0 when it has passed)."""
        return max(0.0, self.deadline - time.monotonic())

    def after_success(self) -> float:
        """The wait before the next poll after one that saw no end."""
        self._failures = 0
        wait = self._interval
        self._interval = min(self._interval * _GROWTH, self._max_interval)
        return min(wait, self.remaining())

    def after_failure(self, error: errors.APIError) -> float:
        """The wait before the next poll after a failed one; raises `error` unless it is worth trying again."""
        self._failures += 1
        if not is_transient(error) or self._failures > self._policy.max_retries:
            raise error
        headers = error.headers if isinstance(error, errors.APIStatusError) else httpx.Headers()
        return min(self._policy.wait(self._failures, headers), self.remaining())


def poll_until(
    fetch: Callable[[float], T],
    done: Callable[[T], bool],
    poller: Poller,
    on_update: Callable[[T], object] | None,
    what: str,
) -> T:
    """Call `fetch(remaining seconds)` until `done` says so, or raise `errors.WaitTimeout` at the deadline.

    Args:
        fetch: One poll; it is given the seconds left and must not take longer.
        done: Whether a poll's result is the end.
        poller: The schedule.
        on_update: Called with every result, the last one included.
        what: What is waited for, for the timeout's message.

    Returns:
        The first result that `done` accepts.

    Raises:
        errors.WaitTimeout: The deadline passed first (`last` holds the last result).
        errors.APIError: A poll failed in a way not worth retrying, or too many times in a row.
    """
    last: T | None = None
    while True:
        if poller.remaining() <= 0:
            raise errors.WaitTimeout(f"{what} had not ended after {poller.timeout:g} s", last)
        try:
            result = fetch(poller.remaining())
        except errors.APIError as error:
            wait = poller.after_failure(error)
        else:
            last = result
            if on_update is not None:
                on_update(result)
            if done(result):
                return result
            wait = poller.after_success()
        time.sleep(wait)


async def apoll_until(
    fetch: Callable[[float], Awaitable[T]],
    done: Callable[[T], bool],
    poller: Poller,
    on_update: Callable[[T], object] | None,
    what: str,
) -> T:
    """`poll_until` with an async `fetch`; waits with `asyncio.sleep`."""
    last: T | None = None
    while True:
        if poller.remaining() <= 0:
            raise errors.WaitTimeout(f"{what} had not ended after {poller.timeout:g} s", last)
        try:
            result = await fetch(poller.remaining())
        except errors.APIError as error:
            wait = poller.after_failure(error)
        else:
            last = result
            if on_update is not None:
                on_update(result)
            if done(result):
                return result
            wait = poller.after_success()
        await asyncio.sleep(wait)
