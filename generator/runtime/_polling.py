"""Polling until something is done, within a deadline: what every `wait_for_job` helper is made of.

Hand-written; copied into every generated package by `python -m generator` (source: generator/runtime/).

Each poll is one request whose own timeout never reaches past the deadline and that the transport does not retry
(`single_attempt`): the loop itself retries. A poll that fails in a way worth trying again (no answer, 408, 429,
5xx) counts against the client's `RetryPolicy.max_retries` in a row and waits as the policy says (`Retry-After`
included), never past the deadline; any other failure is raised at once. Between successful polls the wait starts
at `interval` and grows by half each time, up to `max_interval`.

An API's `wait.py` declares only what is its own, as a `Polled`: the endpoint polled, its success model, what of that
model a poll's result is, when a result is the end, and the name of the callback that sees each result; its
`wait_for_job` functions take the client and the schedule as keyword arguments declared once (`Options`), and
`Polled.wait` makes one `Wait` of them. A wait is written once, as steps (`Wait.steps`, a generator that yields each
poll's request and each pause, and is sent each answer); `Wait.run` and `Wait.arun` carry the steps out with the
client's `httpx.Client` and `time.sleep`, or its `httpx.AsyncClient` and `asyncio.sleep`, after what the wait does
first (`Before`, e.g. following a log), if anything.
"""

import asyncio
import time
from collections.abc import Callable, Generator
from dataclasses import dataclass
from types import ModuleType
from typing import Any, Generic, Protocol, Required, TypedDict, TypeVar

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


class Options(TypedDict, total=False):
    """What every `wait_for_job` takes by keyword, besides its callbacks (`Polled.callback`, and any its API adds).

    Keys:
        client: The client to send the polls with; its `retry` policy says how failed polls are tried again.
        timeout: The most seconds to wait in all (default 3600).
        interval: The first wait between polls, in seconds (default 1); it grows by half after each poll, up to
            `max_interval`.
        max_interval: The longest wait between polls (default 15).
    """

    client: Required[AuthenticatedClient | Client]
    timeout: float
    interval: float
    max_interval: float


class Before(Protocol):
    """What a wait does before its first poll (e.g. follow the job's log), in both forms: `Wait.run` calls `run`,
    `Wait.arun` awaits `arun`; either may raise, which ends the wait."""

    def run(self, wait: "Wait[Any, Any]") -> None:
        """Do it with the client's `httpx.Client`."""

    async def arun(self, wait: "Wait[Any, Any]") -> None:
        """Do it with the client's `httpx.AsyncClient`."""


# A step of a wait: the arguments of a request to send (a poll), or the seconds to pause before the next poll.
Step = dict[str, Any] | float


@dataclass(frozen=True)
class Polled(Generic[M, T]):
    """What an API's `wait_for_job` polls and when it is over: all that each API's `wait.py` declares of its wait.

    Attributes:
        endpoint: The generated endpoint module polled (its `_build_response` reads each answer).
        expected: The endpoint's success model.
        pick: What of the success model is a poll's result (`same`: the model itself).
        done: Whether a result is the end.
        callback: The name of the keyword argument called with every result, the last one included.
    """

    endpoint: ModuleType
    expected: type[M]
    pick: Callable[[M], T]
    done: Callable[[T], bool]
    callback: str = "on_update"

    def wait(self, kwargs: dict[str, Any], what: str, options: Options, before: Before | None = None) -> "Wait[M, T]":
        """One wait, its deadline `timeout` seconds from now.

        Args:
            kwargs: What the endpoint's `_get_kwargs` returned for this wait.
            what: What is waited for, for the timeout's message (e.g. `job 42`).
            options: The keyword arguments `wait_for_job` was given: `Options`, and the callback named `callback`.
            before: What the wait does before its first poll, if anything.

        Returns:
            The wait, to carry out with `run` or `arun`.

        Raises:
            TypeError: `options` lacks `client`, or has a key `wait_for_job` does not take (as a call would).
            ValueError: `timeout`, `interval` or `max_interval` is not positive, or `max_interval < interval`.
        """
        settings: dict[str, Any] = {**options}
        update = settings.pop(self.callback, None)
        return self._wait(kwargs, what, update, before, **settings)

    def _wait(
        self,
        kwargs: dict[str, Any],
        what: str,
        update: Callable[[T], object] | None,
        before: Before | None,
        /,
        *,
        client: AuthenticatedClient | Client,
        timeout: float = 3600.0,
        interval: float = 1.0,
        max_interval: float = 15.0,
    ) -> "Wait[M, T]":
        # The keyword arguments are `Options`, with their defaults: binding them checks them as a call does.
        poller = Poller(timeout=timeout, interval=interval, max_interval=max_interval, policy=client.retry)
        return Wait(self, client, kwargs, poller, update, what, before)


@dataclass(frozen=True)
class Wait(Generic[M, T]):
    """One wait: what is polled, how its answers are read and when it is over, written once as `steps`; `run` and
    `arun` carry the steps out, with the client's `httpx.Client` or its `httpx.AsyncClient`.

    Attributes:
        polled: What is polled, and when it is over.
        client: The client to send the polls with.
        kwargs: What the endpoint's `_get_kwargs` returned for this wait.
        poller: The schedule.
        on_update: Called with every result, the last one included.
        what: What is waited for, for the timeout's message.
        before: What the wait does before its first poll, if anything.
    """

    polled: Polled[M, T]
    client: AuthenticatedClient | Client
    kwargs: dict[str, Any]
    poller: Poller
    on_update: Callable[[T], object] | None
    what: str
    before: Before | None = None

    def steps(self, client_timeout: Callable[[], httpx.Timeout | None]) -> Generator[Step, httpx.Response | None, T]:
        """The wait as steps: it yields each poll's request, and is sent the answer (or has the failure to get one
        thrown in), and each pause, after which it is sent None.

        Args:
            client_timeout: The client's timeout, which no poll's may exceed (asked for at each poll: the httpx
                client is built on first use, which must not eat into the first poll's time).

        Returns:
            The first result that `done` accepts.

        Raises:
            errors.WaitTimeout: The deadline passed first (`last` holds the last result).
            errors.APIError: A poll failed in a way not worth retrying, or too many times in a row.
        """
        polled = self.polled
        last: T | None = None
        while True:
            if self.poller.remaining() <= 0:
                raise errors.WaitTimeout(f"{self.what} had not ended after {self.poller.timeout:g} s", last)
            try:
                response = yield single_attempt(self.kwargs, client_timeout(), self.poller.remaining())
                assert response is not None  # a poll is answered with its response
                answer = polled.endpoint._build_response(client=self.client, response=response)
                result = polled.pick(unwrap(answer, polled.expected))
            except errors.APIError as error:
                wait = self.poller.after_failure(error)
            else:
                last = result
                if self.on_update is not None:
                    self.on_update(result)
                if polled.done(result):
                    return result
                wait = self.poller.after_success()
            yield wait

    def run(self) -> T:
        """Wait with the client's `httpx.Client`, pausing with `time.sleep`; `steps` says what it returns and raises."""
        if self.before is not None:
            self.before.run(self)
        steps = _Steps(self.steps(lambda: self.client.get_httpx_client().timeout))
        for step in steps:
            if isinstance(step, dict):
                try:
                    steps.answer = send(self.client, step)
                except errors.APIConnectionError as error:
                    steps.answer = error
            else:
                time.sleep(step)
        return steps.result

    async def arun(self) -> T:
        """Wait with the client's `httpx.AsyncClient`, pausing with `asyncio.sleep` (as `run`)."""
        if self.before is not None:
            await self.before.arun(self)
        steps = _Steps(self.steps(lambda: self.client.get_async_httpx_client().timeout))
        for step in steps:
            if isinstance(step, dict):
                try:
                    steps.answer = await asend(self.client, step)
                except errors.APIConnectionError as error:
                    steps.answer = error
            else:
                await asyncio.sleep(step)
        return steps.result


class _Steps(Generic[T]):
    """A wait's steps as an iterator for `run` and `arun`: what a step came to goes in `answer` before the next step
    is asked for (a failure to get an answer is thrown into the steps), and the iteration ends with `result`."""

    result: T

    def __init__(self, steps: Generator[Step, httpx.Response | None, T]) -> None:
        self._steps = steps
        self.answer: httpx.Response | errors.APIConnectionError | None = None

    def __iter__(self) -> "_Steps[T]":
        return self

    def __next__(self) -> Step:
        answer, self.answer = self.answer, None
        try:
            return self._steps.throw(answer) if isinstance(answer, errors.APIError) else self._steps.send(answer)
        except StopIteration as end:
            self.result = end.value
            raise StopIteration from None
