"""A simulator's start-up line: one JSON object on one line, with the same keys for every API.

`python -m mock_server <api> --port 0` prints it once it is listening; whoever started it (`mock_server.launcher`:
the conformance suite, the bench, the tests) reads it back with `Announcement.from_json`. For example (one line):

    {"api": "connect", "base_url": "http://127.0.0.1:3939/__api__",
     "credentials": [{"name": "owner", "headers": {"Authorization": "Key mock-connect-owner-key"}, "role": "owner"},
                     ..., {"name": "viewer", "headers": {...}, "role": "viewer"}, ...],
     "tenants": [{"id": "8f37d6e0-3395-4a2c-aa6a-d7f2fe1babd0", "jobs": ["waaTO7v75I84S1hQ", ...]}, ...],
     "strict": false, "faults": {"rate": 0.0, ...}, "details": {"timing": {"line_interval": 1.0, ...}}}

- `credentials`: every identity the simulator accepts, as the exact headers a request sends. The first is the one to
  use when any will do (it may call every operation): the slurper's token (then its e-mail and global API key pair),
  Connect's owner key (then one key per role: `role` says which, the viewer's may read nothing), RekoSearch's first
  demo user's token (then the second's; `tenant` names the user whose jobs it sees, and only those).
- `tenants`: what the simulator starts with, each with its demo job ids, oldest first: the slurper's accounts,
  Connect's content items (job keys), RekoSearch's users (job ids are numbers there).
- `strict`, `faults`: whether responses are held to the document, and which faults are injected
  (`FaultSettings.describe`).
- `details`: what is the API's own: the slurper's `max_concurrent_jobs`, Connect's job `timing`, RekoSearch's
  `new_user` endpoint (`"POST <url>"`, with `--new-user-endpoint` only).

The credentials are mock ones, printed so that clients can use them; `Identity` keeps its headers out of its repr.
"""

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

JobId = str | int


@dataclass(frozen=True)
class Identity:
    """One way to authenticate against a simulator.

    Attributes:
        name: What it is ("token", "owner", the user's e-mail).
        headers: The headers a request sends with it.
        role: What it may do, where the API has roles (Connect: "owner", "viewer", ...).
        tenant: The one tenant whose jobs it sees, where it sees one only (a RekoSearch user's id).
    """

    name: str
    headers: Mapping[str, str] = field(repr=False)
    role: str | None = None
    tenant: str | None = None

    @property
    def secrets(self) -> tuple[str, ...]:
        """What must never show in a log: each header's value without its scheme word (`Bearer`, `Key`)."""
        return tuple(value.split(" ")[-1] for value in self.headers.values())

    def to_json(self) -> dict[str, Any]:
        """The identity as the start-up line has it (`role` and `tenant` only when there is one)."""
        value: dict[str, Any] = {"name": self.name, "headers": dict(self.headers)}
        if self.role is not None:
            value["role"] = self.role
        if self.tenant is not None:
            value["tenant"] = self.tenant
        return value

    @classmethod
    def from_json(cls, value: Mapping[str, Any]) -> "Identity":
        """Read an identity of a start-up line.

        Args:
            value: The parsed object.

        Returns:
            The identity.
        """
        return cls(str(value["name"]), dict(value["headers"]), value.get("role"), value.get("tenant"))


@dataclass(frozen=True)
class Tenant:
    """Something a simulator starts with that has jobs of its own: an account, a content item, a user.

    Attributes:
        id: Its id (an account id, a content GUID, a user id).
        jobs: Its demo jobs' ids (job keys for Connect), oldest first.
    """

    id: str
    jobs: tuple[JobId, ...] = ()

    def to_json(self) -> dict[str, Any]:
        """The tenant as the start-up line has it."""
        return {"id": self.id, "jobs": list(self.jobs)}

    @classmethod
    def from_json(cls, value: Mapping[str, Any]) -> "Tenant":
        """Read a tenant of a start-up line.

        Args:
            value: The parsed object.

        Returns:
            The tenant.
        """
        return cls(str(value["id"]), tuple(value["jobs"]))


@dataclass(frozen=True)
class Announcement:
    """What a simulator says about itself once it is listening (see the module docstring).

    Attributes:
        api: The API's name.
        base_url: Where its API is served, the document's base path included.
        credentials: Every identity it accepts, the one to use by default first.
        tenants: What it starts with, and their demo jobs.
        strict: Whether every response is held to the document.
        faults: Which faults it injects (`FaultSettings.describe`).
        details: What is the API's own.
    """

    api: str
    base_url: str
    credentials: tuple[Identity, ...]
    tenants: tuple[Tenant, ...] = ()
    strict: bool = False
    faults: Mapping[str, Any] = field(default_factory=dict)
    details: Mapping[str, Any] = field(default_factory=dict)

    @property
    def origin(self) -> str:
        """The server's origin, e.g. "http://127.0.0.1:8787" (the base URL without its path)."""
        return "/".join(self.base_url.split("/")[:3])

    @property
    def secrets(self) -> tuple[str, ...]:
        """What must never show in a log: every identity's `secrets`."""
        return tuple(secret for identity in self.credentials for secret in identity.secrets)

    def identity(self, *, role: str | None = None, tenant: str | None = None) -> Identity:
        """The first identity with a role, or of a tenant.

        Args:
            role: The role it must have, if any.
            tenant: The tenant it must see, if any.

        Returns:
            The identity.

        Raises:
            LookupError: No identity has them.
        """
        for identity in self.credentials:
            if (role is None or identity.role == role) and (tenant is None or identity.tenant == tenant):
                return identity
        raise LookupError(f"the {self.api} simulator announced no identity with role {role!r} and tenant {tenant!r}")

    def to_json(self) -> str:
        """The start-up line (without its newline).

        Returns:
            One line of JSON.
        """
        return json.dumps(
            {
                "api": self.api,
                "base_url": self.base_url,
                "credentials": [identity.to_json() for identity in self.credentials],
                "tenants": [tenant.to_json() for tenant in self.tenants],
                "strict": self.strict,
                "faults": dict(self.faults),
                "details": dict(self.details),
            }
        )

    @classmethod
    def from_json(cls, line: str) -> "Announcement":
        """Read a start-up line.

        Args:
            line: The line a simulator printed.

        Returns:
            What it says.

        Raises:
            ValueError: The line is not a simulator's start-up line.
        """
        try:
            value = json.loads(line)
            return cls(
                api=str(value["api"]),
                base_url=str(value["base_url"]),
                credentials=tuple(Identity.from_json(identity) for identity in value["credentials"]),
                tenants=tuple(Tenant.from_json(tenant) for tenant in value["tenants"]),
                strict=bool(value["strict"]),
                faults=dict(value["faults"]),
                details=dict(value["details"]),
            )
        except (KeyError, TypeError, AttributeError, json.JSONDecodeError) as error:
            # The line itself is not quoted: it may hold credentials.
            raise ValueError(f"not a simulator's start-up line: {error!r}") from None
