"""What `python -m mock_server` knows of one API's simulator: its `Profile`.

Every simulator package exports a `PROFILE` (generator/apis.toml names the package, `simulator`), and `profiles()`
reads them in the registry's order, so adding an API adds a subcommand without naming it anywhere else. The command
line (`mock_server.cli`) gives every subcommand the options all simulators share (--host, --port, --strict, fault
injection) and then the profile's own (`add_arguments`); the profile reads its own into the API's settings
(`settings`), the command line sets the shared ones, and the profile builds the app (`create_app`). Once the app
listens, the command line prints the start-up line (`mock_server.announcement`), whose API-specific part the profile
tells (`introduce`).
"""

import argparse
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from starlette.applications import Starlette

from generator import registry
from mock_server.announcement import Identity, Tenant
from mock_server.openapi import OpenAPIDocument
from mock_server.pipeline import Api
from mock_server.settings import SimulatorSettings

Settings = TypeVar("Settings", bound=SimulatorSettings)


@dataclass(frozen=True)
class Introduction:
    """An API's part of its simulator's start-up line (`Announcement` has the rest).

    Attributes:
        credentials: Every identity the simulator accepts, the one to use by default first.
        tenants: What it starts with, and their demo jobs.
        details: What is the API's own.
    """

    credentials: tuple[Identity, ...]
    tenants: tuple[Tenant, ...]
    details: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Profile(ABC, Generic[Settings]):
    """One API's simulator, as `python -m mock_server` serves it.

    Attributes:
        api: The API's hooks (`mock_server.pipeline.Api`): its name is the subcommand's, its document's base path
            ends the base URL of the start-up line.
        build: Builds the app from its settings (the API's `create_app`; `create_app` here calls it).
        default_port: Where it listens when --port is not given.
        description: What the subcommand's --help says it does (its line in `python -m mock_server --help` is the
            registry's title of the API).

    Each API's subclass adds what is its own (its options, its settings, its introduction) and is made with the rest.
    """

    api: type[Api[Any, Any]]
    build: Callable[[Settings], Starlette]
    default_port: int = field(kw_only=True)
    description: str = field(kw_only=True)

    @property
    def name(self) -> str:
        """The API's name: the subcommand, and the registry's and the document's name."""
        return self.api.name

    def document(self) -> OpenAPIDocument:
        """The API's compiled document.

        Returns:
            The document.
        """
        return self.api.load_document()

    @abstractmethod
    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        """Add the options that are the API's own to its subcommand.

        Args:
            parser: The subcommand's parser, which has the shared options already.
        """

    @abstractmethod
    def settings(self, args: argparse.Namespace) -> Settings:
        """The settings the API's own options ask for (the command line sets the shared ones: strict, faults).

        Args:
            args: The parsed command line.

        Returns:
            The settings.

        Raises:
            ValueError: The options do not make sense together (a usage error, exit 2).
        """

    def create_app(self, settings: Settings) -> Starlette:
        """Build the app.

        Args:
            settings: The settings.

        Returns:
            The app.

        Raises:
            ValueError: The settings do not make sense together (a usage error, exit 2).
        """
        return self.build(settings)

    @abstractmethod
    def introduce(self, app: Starlette, settings: Settings, origin: str) -> Introduction:
        """The API's part of the start-up line.

        Args:
            app: The app, listening.
            settings: Its settings.
            origin: Where it listens, e.g. "http://127.0.0.1:8787".

        Returns:
            Its identities, tenants and details.
        """


def profiles() -> list[tuple[registry.Api, Profile[Any]]]:
    """Every API of the registry that has a simulator, with the simulator's profile, in the registry's order.

    Returns:
        The registry's entry and the profile of each.

    Raises:
        TypeError: A simulator package exports something else as its `PROFILE`, or another API's.
    """
    found: list[tuple[registry.Api, Profile[Any]]] = []
    for api in registry.load_apis().values():
        if not api.simulator:
            continue
        profile = getattr(api.part("simulator"), "PROFILE", None)
        if not isinstance(profile, Profile) or profile.name != api.name:
            raise TypeError(f"{api.simulator} must export the PROFILE of {api.name}, not {profile!r}")
        found.append((api, profile))
    return found
