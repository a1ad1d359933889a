"""Fixtures of the slurper's tests: one set of credentials per scheme the document allows, and an account."""

import uuid

import pytest

from contract_tests.server.targets import Credentials, Target

# Every alternative of the document's `security`: a token, or the e-mail and key pair.
SCHEMES = ("api_token", "api_email+api_key")


@pytest.fixture(params=SCHEMES)
def credentials(request: pytest.FixtureRequest, target: Target) -> Credentials:
    """The target's credentials of one scheme (a live run tests the schemes it was given credentials for)."""
    given = {"+".join(sorted(each.auth)): each for each in (target.credentials, *target.alternative_credentials)}
    if request.param not in given:
        pytest.skip(f"no {request.param} credentials were given for this live server (target.py names the variables)")
    return given[request.param]


@pytest.fixture
def account(target: Target) -> str:
    """A fresh account on the simulator (every account id is its own tenant); the given account on a live server."""
    return target.parameters.get("account_id") or uuid.uuid4().hex
