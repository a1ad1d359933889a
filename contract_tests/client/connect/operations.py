"""Connect's operations as its tests call them (`contract_tests.client.operations`): every operation of
`generated_client.connect.api.jobs`, the request each must send (`maxLogLines` and `filename` on the wire), and the
answers no document promises: a proxy's HTML page, Cloudflare's 520, another service's JSON error, truncated JSON."""

from functools import partial

from contract_tests.client.operations import OffContract, Operation, Operations
from generated_client.connect import AuthenticatedClient
from generated_client.connect.models import JobItem, KillJobOrder, LogEntries, LoggedError

API = "connect"
BASE_URL = "https://connect.example.com/__api__"
GUID = "8f37d6e0-3395-4a2c-aa6a-d7f2fe1babd0"
KEY = "QBZ5jkKfmf9iT9k8"
API_KEY = "kWx3RZbQ9vB7sT2mLp4nYc8dHf6gJa1e"
JOB = (GUID, KEY)
JOB_PATH = f"/v1/content/{GUID}/jobs/{KEY}"

OPERATIONS = Operations(
    api=API,
    base_url=BASE_URL,
    operations=(
        Operation("GetJobs", "GET", f"/v1/content/{GUID}/jobs", (GUID,)),
        Operation("GetJob", "GET", JOB_PATH, JOB, result_type=JobItem),
        Operation("KillJob", "DELETE", JOB_PATH, JOB, result_type=KillJobOrder),
        Operation(
            "JobDownloadLog",
            "GET",
            f"{JOB_PATH}/download",
            JOB,
            kwargs={"filename": "dashboard-process.log"},
            query={"filename": "dashboard-process.log"},
        ),
        Operation("JobError", "GET", f"{JOB_PATH}/error", JOB, result_type=LoggedError),
        Operation(
            "JobLogs",
            "GET",
            f"{JOB_PATH}/log",
            JOB,
            kwargs={"max_log_lines": 200},
            query={"maxLogLines": "200"},
            result_type=LogEntries,
        ),
        Operation("JobTailLog", "GET", f"{JOB_PATH}/tail", JOB),
    ),
    off_contract=(
        OffContract("500-html", 500, b"<html><body><h1>500 Internal Server Error</h1></body></html>", "text/html"),
        OffContract("502-proxy-html", 502, b"<html><body><h1>502 Bad Gateway</h1></body></html>", "text/html"),
        OffContract("520-cloudflare", 520, b"error code: 520", "text/plain"),
        OffContract("503-foreign-json-error", 503, b'{"message": "Service Unavailable"}', "application/json"),
        OffContract("403-html", 403, b"<html><body>Access denied by proxy</body></html>", "text/html"),
        OffContract("200-truncated-json", 200, b'{"id": "40096649", "key": "QBZ5jk', "application/json"),
    ),
    client=partial(AuthenticatedClient, base_url=BASE_URL, token=API_KEY, prefix="Key"),
    # `default` covers every status the operation does not list; these two stand for it.
    statuses={"default": (405, 503)},
    # The download's 200 is text: any body is the log file, so a 200 is never off-contract for it.
    text_success=frozenset({"JobDownloadLog"}),
)
