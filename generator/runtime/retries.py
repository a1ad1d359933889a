"""When and how a request is sent again: exponential backoff with jitter, honouring `Retry-After`.

Hand-written; copied into every generated package by `python -m generator` (source: generator/runtime/).

The retrying itself is httpx-retries' `RetryTransport`, which every client wraps around its transport; this module
decides the policy. A retry sends the very same request again (same method, URL, headers and body): nothing is
added or changed. What is retried, by default:

- connection errors (refused, reset, dropped mid-answer) and timeouts;
- the statuses 408, 429, every 5xx (Cloudflare's 520-527 included);
- only for idempotent methods (GET, HEAD, OPTIONS, PUT, DELETE): a POST (slurper's job-creating call) is retried
  only with `retry_non_idempotent=True`, because a lost answer may hide a job that was created.

Waits: `Retry-After` (seconds or an HTTP date) when the server sends it, capped at `max_retry_after`; otherwise
`backoff * 2**(n-1)` for the n-th retry, capped at `max_backoff`, times a random factor in `[1 - jitter, 1]`.
"""

import asyncio
import random
import time
from collections.abc import Mapping
from typing import cast

import httpx
from attrs import define, field
from httpx_retries import Retry, RetryTransport

from .errors import retry_after_seconds

IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
NON_IDEMPOTENT_METHODS = frozenset({"POST", "PATCH"})
# 408 Request Timeout, 429 Too Many Requests, and every 5xx: 500-599 holds Cloudflare's 520-527.
RETRY_STATUSES = frozenset({408, 429, *range(500, 600)})


@define(frozen=True)
class RetryPolicy:
    """How a client retries. `RetryPolicy()` is the default; `RetryPolicy.disabled()` never retries.

    Attributes:
        max_retries: How many times a request may be sent again (so at most `max_retries + 1` attempts).
        backoff: The wait before the first retry, in seconds, when the server gives no `Retry-After`; it doubles
            with every further retry.
        max_backoff: The longest such wait.
        jitter: How much of each wait is random, from 0 (none) to 1: the wait is multiplied by a random factor in
            `[1 - jitter, 1]`, so that many clients do not retry in step.
        max_retry_after: The longest wait a server's `Retry-After` can ask for; a longer one is cut to this.
        max_total_wait: The most time all the waits of one request may add up to, or None for no limit.
        retry_non_idempotent: Also retry POST and PATCH. Off by default: a POST whose answer was lost may have
            done its work (a job created) and would be done twice.
        statuses: The statuses that are retried.
    """

    max_retries: int = field(default=2)
    backoff: float = 0.5
    max_backoff: float = 8.0
    jitter: float = 0.25
    max_retry_after: float = 60.0
    max_total_wait: float | None = None
    retry_non_idempotent: bool = False
    statuses: frozenset[int] = RETRY_STATUSES

    @max_retries.validator
    def _check_max_retries(self, attribute: object, value: int) -> None:
        if value < 0:
            raise ValueError(f"max_retries must be 0 or more, not {value}")

    @classmethod
    def disabled(cls) -> "RetryPolicy":
        """A policy that never retries."""
        return cls(max_retries=0)

    @property
    def methods(self) -> frozenset[str]:
        """The methods this policy retries."""
        return IDEMPOTENT_METHODS | NON_IDEMPOTENT_METHODS if self.retry_non_idempotent else IDEMPOTENT_METHODS

    def wait(self, retry_number: int, headers: Mapping[str, str]) -> float:
        """How long to wait before a retry.

        Args:
            retry_number: Which retry this is, from 1.
            headers: The headers of the response that is retried (empty after a connection error).

        Returns:
            The seconds to wait.
        """
        asked = retry_after_seconds(headers.get("Retry-After"))
        if asked is not None and asked > 0:
            return min(asked, self.max_retry_after)
        wait = min(self.backoff * 2.0 ** (retry_number - 1), self.max_backoff)
        return wait * random.uniform(1 - self.jitter, 1)  # noqa: S311 (jitter, not cryptography)

    def httpx_retry(self) -> Retry:
        """This policy as httpx-retries' `Retry`; given as a request's `extensions["retry"]`, it replaces the
        client's policy for that request."""
        return _PolicyRetry.for_policy(self)

    def transport(self, inner: httpx.BaseTransport | httpx.AsyncBaseTransport) -> RetryTransport:
        """A transport that sends through `inner` and retries by this policy."""
        return RetryTransport(transport=inner, retry=self.httpx_retry())


class _PolicyRetry(Retry):
    """httpx-retries' `Retry`, waiting as a `RetryPolicy` says (its loop, our waits)."""

    policy: RetryPolicy = RetryPolicy()

    @classmethod
    def for_policy(cls, policy: RetryPolicy) -> "_PolicyRetry":
        retry = cls(
            total=policy.max_retries,
            allowed_methods=policy.methods,
            status_forcelist=policy.statuses,
            # The waits are `policy.wait`'s; httpx-retries' own Retry-After handling would cap them differently.
            respect_retry_after_header=False,
            max_backoff_wait=max(policy.max_retry_after, policy.max_backoff, 1e-9),
            total_timeout=policy.max_total_wait,
        )
        retry.policy = policy
        return retry

    def increment(self) -> "_PolicyRetry":
        following = cast("_PolicyRetry", super().increment())
        following.policy = self.policy
        return following

    def _seconds(self, response: httpx.Response | Exception) -> float:
        headers = response.headers if isinstance(response, httpx.Response) else httpx.Headers()
        seconds = self.policy.wait(self.attempts_made, headers)
        if self.total_timeout is not None:
            seconds = min(seconds, max(0.0, self.total_timeout - self.elapsed_sleep))
        return seconds

    def sleep(self, response: httpx.Response | Exception) -> None:
        seconds = self._seconds(response)
        pause(seconds)
        self.elapsed_sleep += seconds

    async def asleep(self, response: httpx.Response | Exception) -> None:
        seconds = self._seconds(response)
        await apause(seconds)
        self.elapsed_sleep += seconds


def pause(seconds: float) -> None:
    """Wait between attempts (a module function, so that tests can count the waits instead of sleeping)."""
    time.sleep(seconds)


async def apause(seconds: float) -> None:
    """Wait between attempts, asynchronously (see `pause`)."""
    await asyncio.sleep(seconds)


__all__ = ["IDEMPOTENT_METHODS", "RETRY_STATUSES", "RetryPolicy"]
