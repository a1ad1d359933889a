"""Fixtures of Connect's tests: the content item they read (and kill jobs of), and a viewer's key of it."""

import pytest

from contract_tests.server.connect.target import viewer_credentials
from contract_tests.server.report import Recorder
from contract_tests.server.targets import Credentials, Target


@pytest.fixture
def guid(target: Target) -> str:
    """The content item: the simulator's, or CONNECT_CONTENT_GUID of a live server."""
    return target.parameters["guid"]


@pytest.fixture
def viewer(target: Target, recorder: Recorder) -> Credentials | None:
    """A key of a mere viewer of the content (None when a live run was given none); a credential of the run, so that
    no report shows it."""
    found = viewer_credentials(target)
    if found is not None:
        recorder.secrets.update(found.secrets)
    return found
