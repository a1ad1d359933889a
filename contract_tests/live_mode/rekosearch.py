"""RekoSearch's live mode: the suite is given a token and a job (REKOSEARCH_JOB_ID); it sends the token bare or as a
bearer token, and with --allow-writes the one job it deletes is the one given (job ids are small sequential numbers,
so a generated delete would hit real jobs); a read-only run still names the delete test it leaves out."""

import re

from contract_tests.live_mode.live import LiveApi
from mock_server.rekosearch import RekoSearchSettings, create_app
from mock_server.rekosearch.settings import DEFAULT_TOKEN

JOB_ID = "2"

LIVE = LiveApi(
    name="rekosearch",
    app=lambda: create_app(RekoSearchSettings(strict=True)),
    environment={"REKOSEARCH_TOKEN": DEFAULT_TOKEN, "REKOSEARCH_JOB_ID": JOB_ID},
    secret=DEFAULT_TOKEN,
    authorizations=frozenset({DEFAULT_TOKEN, f"Bearer {DEFAULT_TOKEN}"}),
    scope=re.compile("^/api/v1/jobs/"),
    write_methods=frozenset({"GET", "DELETE"}),
    reported=("test_deleting_a_job_is_final_and_idempotent",),
    delete=("/api/v1/jobs/delete", f"job-id={JOB_ID}"),
    unreached="/_simulator/",
)
