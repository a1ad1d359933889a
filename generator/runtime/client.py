"""The clients that carry the base URL, credentials and httpx settings to every endpoint function.

Hand-written; copied into every generated package by `python -m generator` (source: generator/runtime/).
"""

import ssl
from typing import Any, Self

import httpx
from attrs import define, evolve, field

from .retries import RetryPolicy

# Connect within 5 s; wait at most 60 s for each read, write or pool slot (the same defaults as Cloudflare's own SDK).
DEFAULT_TIMEOUT = httpx.Timeout(60.0, connect=5.0)
# httpx arguments that configure the connection itself: they go to the transport the retries wrap.
_TRANSPORT_ARGS = ("cert", "trust_env", "http1", "http2", "limits", "proxy", "local_address", "retries", "uds")


def _header_names_only(headers: dict[str, str]) -> str:
    # Header values can be credentials (X-Auth-Key, Authorization): a repr shows which headers are set, never a value.
    return repr({name: "<redacted>" for name in headers})


@define
class Client:
    """A client for the operations of this API.

    Keyword arguments, all passed on to the `httpx.Client` / `httpx.AsyncClient` built on first use:

        ``base_url``: the URL every operation's path is appended to.
        ``cookies``: cookies sent with every request.
        ``headers``: headers sent with every request (credentials may go here; they never appear in `repr()`).
        ``timeout``: an `httpx.Timeout` (default `DEFAULT_TIMEOUT`: connect 5 s, read 60 s); None waits forever.
            When it runs out (after any retries) the functions raise `errors.APITimeoutError`.
        ``verify_ssl``: whether to verify the server's certificate, or the CA bundle / SSL context to verify it with.
        ``follow_redirects``: whether to follow redirects (default False).
        ``httpx_args``: anything else for the httpx constructor (``transport``, ``event_hooks``, ``limits``,
            ``proxy``, ...). A given ``transport`` is wrapped by the retries.

    Attributes:
        retry: when and how requests are sent again (`RetryPolicy`: 2 retries of idempotent requests on connection
            errors, 408, 429 and 5xx, honouring `Retry-After`); `RetryPolicy.disabled()` turns retries off, and
            `with_retry(...)` gives a copy with another policy, e.g. for one call.
        raise_on_error: raise the `errors` exception for every failure (a 4xx, a 5xx, a 2xx whose body says it
            failed, a body that is not what the document declares), so the functions return successes only.
        raise_on_unexpected_status: raise `errors.UnexpectedStatus` only when the server answers with a status the
            document does not declare, or with a body that is not the JSON it declares (openapi-python-client's
            option; `raise_on_error` covers it).
        strict: raise `errors.DriftError` for a success body that differs from the document (an unknown enum value
            or union variant, a field missing, null or unknown) instead of reading it and reporting the differences
            on `Response.drift` (and once per kind as an `errors.DriftWarning`).
    """

    retry: RetryPolicy = field(factory=RetryPolicy, kw_only=True)
    raise_on_error: bool = field(default=False, kw_only=True)
    raise_on_unexpected_status: bool = field(default=False, kw_only=True)
    strict: bool = field(default=False, kw_only=True)
    _base_url: str = field(alias="base_url")
    _cookies: dict[str, str] = field(factory=dict, kw_only=True, alias="cookies", repr=False)
    _headers: dict[str, str] = field(factory=dict, kw_only=True, alias="headers", repr=_header_names_only)
    _timeout: httpx.Timeout | None = field(default=DEFAULT_TIMEOUT, kw_only=True, alias="timeout")
    _verify_ssl: str | bool | ssl.SSLContext = field(default=True, kw_only=True, alias="verify_ssl")
    _follow_redirects: bool = field(default=False, kw_only=True, alias="follow_redirects")
    _httpx_args: dict[str, Any] = field(factory=dict, kw_only=True, alias="httpx_args", repr=False)
    _client: httpx.Client | None = field(default=None, init=False, repr=False)
    _async_client: httpx.AsyncClient | None = field(default=None, init=False, repr=False)

    def _httpx_clients(self) -> list[httpx.Client | httpx.AsyncClient]:
        # The httpx clients built (or set) so far: a copy made by `with_...` shares them, so its change reaches them.
        return [client for client in (self._client, self._async_client) if client is not None]

    def with_headers(self, headers: dict[str, str]) -> Self:
        """A copy of this client that also sends `headers`."""
        for client in self._httpx_clients():
            client.headers.update(headers)
        return evolve(self, headers={**self._headers, **headers})

    def with_cookies(self, cookies: dict[str, str]) -> Self:
        """A copy of this client that also sends `cookies`."""
        for client in self._httpx_clients():
            client.cookies.update(cookies)
        return evolve(self, cookies={**self._cookies, **cookies})

    def with_timeout(self, timeout: httpx.Timeout) -> Self:
        """A copy of this client with another timeout."""
        for client in self._httpx_clients():
            client.timeout = timeout
        return evolve(self, timeout=timeout)

    def with_retry(self, **changes: Any) -> Self:
        """A copy of this client whose retry policy has `changes`, e.g. `with_retry(max_retries=0)` for one call
        that must not be repeated, or `with_retry(retry_non_idempotent=True)` to retry a job-creating POST."""
        return evolve(self, retry=evolve(self.retry, **changes))

    def _request_headers(self) -> dict[str, str]:
        return dict(self._headers)

    def _httpx_kwargs(self, transport: type[httpx.HTTPTransport | httpx.AsyncHTTPTransport]) -> dict[str, Any]:
        # `transport`: the kind of transport to build when `httpx_args` gives none (sync or async).
        args = dict(self._httpx_args)
        inner = args.pop("transport", None)
        if inner is None:
            connection = {name: args.pop(name) for name in _TRANSPORT_ARGS if name in args}
            inner = transport(verify=self._verify_ssl, **connection)
        return {
            "base_url": self._base_url,
            "cookies": self._cookies,
            "headers": self._request_headers(),
            "timeout": self._timeout,
            "follow_redirects": self._follow_redirects,
            **args,
            "transport": self.retry.transport(inner),
        }

    # The httpx clients, one for the sync functions and one for the async ones: each is set, or built on first use.

    def set_httpx_client(self, client: httpx.Client) -> Self:
        """Use `client` for every sync call. Its own base URL, headers, timeout and transport replace this client's
        (so this client's retries do not apply to it)."""
        self._client = client
        return self

    def set_async_httpx_client(self, async_client: httpx.AsyncClient) -> Self:
        """Use `async_client` for every async call, as `set_httpx_client` does for the sync ones."""
        self._async_client = async_client
        return self

    def get_httpx_client(self) -> httpx.Client:
        """The httpx.Client the sync functions use, built on first use."""
        if self._client is None:
            self._client = httpx.Client(**self._httpx_kwargs(httpx.HTTPTransport))
        return self._client

    def get_async_httpx_client(self) -> httpx.AsyncClient:
        """The httpx.AsyncClient the async functions use, built on first use."""
        if self._async_client is None:
            self._async_client = httpx.AsyncClient(**self._httpx_kwargs(httpx.AsyncHTTPTransport))
        return self._async_client

    def __enter__(self) -> Self:
        """Open the underlying httpx.Client; it is closed on exit (a client can be entered once)."""
        self.get_httpx_client().__enter__()
        return self

    def __exit__(self, *args: Any, **kwargs: Any) -> None:
        self.get_httpx_client().__exit__(*args, **kwargs)

    async def __aenter__(self) -> Self:
        """Open the underlying httpx.AsyncClient; it is closed on exit (a client can be entered once)."""
        await self.get_async_httpx_client().__aenter__()
        return self

    async def __aexit__(self, *args: Any, **kwargs: Any) -> None:
        await self.get_async_httpx_client().__aexit__(*args, **kwargs)


@define
class AuthenticatedClient(Client):
    """A client that sends one credential header on every request: `{auth_header_name}: {prefix} {token}`.

    With the default prefix this is `Authorization: Bearer <token>`; with `prefix=""` the bare token is sent.
    The token never appears in `repr()`.

    Attributes:
        token: the credential.
        prefix: what goes before the token in the header value.
        auth_header_name: the header that carries it.
    """

    token: str = field(default="", kw_only=True, repr=False)
    prefix: str = field(default="Bearer", kw_only=True)
    auth_header_name: str = field(default="Authorization", kw_only=True)

    def _request_headers(self) -> dict[str, str]:
        value = f"{self.prefix} {self.token}" if self.prefix else self.token
        return {**self._headers, self.auth_header_name: value}
