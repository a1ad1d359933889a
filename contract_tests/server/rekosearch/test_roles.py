"""The token on every operation: every operation takes the user's token bare and after `Bearer `, and refuses a
wrong one (its value almost the right one, bare or after `Bearer `) with API Gateway's 401, leaving the job a refused
delete was aimed at where it was.

The calls are made from the document (`roles.every_operation`), so an operation added to it is probed too. On the
simulator the tests act as a user of their own; against a live server as REKOSEARCH_TOKEN's user on REKOSEARCH_JOB_ID,
sending wrong tokens only with --allow-writes, and never deleting with the right one (the lifecycle tests delete that
job, last).
"""

import uuid

import pytest

from contract_tests.server import roles
from contract_tests.server.rekosearch.target import User, demo_users, fresh_user
from contract_tests.server.targets import Target
from contract_tests.server.verdicts import Verdicts

API = "rekosearch"
DELETE = "jobs-delete"
UNAUTHORIZED = {"message": "Unauthorized"}


def _user(target: Target) -> User:
    return demo_users(target)[0] if target.live else fresh_user(target)


def _calls(target: Target, user: User) -> list[roles.Call]:
    values = {"job-id": str(user.jobs[-1]), "object-uuid": str(uuid.uuid4())}
    return roles.every_operation(API, target.base_url, values)


def test_every_operation_refuses_a_wrong_token_bare_or_after_bearer(target: Target, verdicts: Verdicts) -> None:
    if not target.may_probe_credentials:
        pytest.skip("sends wrong tokens: pass --allow-writes to a live server")
    user = _user(target)
    calls = _calls(target, user)
    get = next(call for call in calls if call.operation_id == "jobs-get")
    wrong = roles.wrong(user.token)
    scenarios = {"a wrong token": wrong, "a wrong token after `Bearer `": f"Bearer {wrong}"}

    for scenario, token in scenarios.items():
        answers = {call: call.send({"Authorization": token}) for call in calls}

        with verdicts.expecting(API, "credentials-are-enforced", evidence=roles.first_evidence(answers, [401])):
            refused = roles.not_refused(answers, [401])
            assert not refused, f"with {scenario}, not refused: {refused}"
        bodies = {call.operation_id: response.text for call, response in answers.items()}
        with verdicts.expecting(API, "unauthorized-is-api-gateways", evidence=next(iter(answers.values()))):
            assert all(response.json() == UNAUTHORIZED for response in answers.values()), bodies
        # The refused delete left the job where it was.
        after = get.send({"Authorization": user.token})
        with verdicts.expecting(API, "credentials-are-enforced", evidence=after):
            assert after.status_code == 200, f"with {scenario} the job is gone: {after.status_code} {after.text[:200]}"


def test_every_operation_takes_the_token_bare_and_after_bearer(target: Target, verdicts: Verdicts) -> None:
    user = _user(target)
    calls = _calls(target, user)

    for call in calls:
        if call.writes:
            continue
        bare = call.send({"Authorization": user.token})
        assert 200 <= bare.status_code < 300, f"{call.operation_id}: {bare.status_code} {bare.text[:200]}"
        prefixed = call.send({"Authorization": f"Bearer {user.token}"})
        with verdicts.expecting(API, "bearer-prefix-is-accepted", evidence=prefixed):
            assert prefixed.status_code == bare.status_code, f"{call.operation_id}: {prefixed.text[:200]}"
    if target.live:
        return
    # The simulator's user is the test's own: its job is deleted with the token after `Bearer `.
    delete = next(call for call in calls if call.operation_id == DELETE)
    response = delete.send({"Authorization": f"Bearer {user.token}"})
    with verdicts.expecting(API, "bearer-prefix-is-accepted", evidence=response):
        assert response.status_code == 200, response.text[:200]
