"""Links: jobs/get-object-url's presigned-style link into the caller's own files (whether or not the object exists),
and the result links of a processed job."""

from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import httpx
import pytest

from mock_server.openapi.formats import is_uri
from mock_server.rekosearch.jobs import User
from mock_server.rekosearch.presign import EXPIRES_SECONDS

pytestmark = pytest.mark.anyio


async def link(client: httpx.AsyncClient, job_id: Any, object_uuid: str) -> str:
    response = await client.get("/api/v1/jobs/get-object-url", params={"job-id": job_id, "object-uuid": object_uuid})
    assert response.status_code == 200, response.text
    assert set(response.json()) == {"url"}
    url: str = response.json()["url"]
    return url


def segments(url: str) -> list[str]:
    return [unquote(segment) for segment in urlsplit(url).path.split("/")[1:]]


async def test_a_link_is_presigned_expires_and_points_into_the_callers_files(
    client: httpx.AsyncClient, users: list[User]
) -> None:
    body = (await client.get("/api/v1/jobs/get", params={"job-id": 2})).json()
    object_uuid = next(iter(body["job_info"]["object_uuid_names"]))

    url = await link(client, 2, object_uuid)

    parts = urlsplit(url)
    assert (parts.scheme, parts.netloc) == ("https", "rekosearch-user-files.s3.amazonaws.com")
    assert segments(url) == [users[0].user_id, "2", object_uuid]
    query = {name: values[0] for name, values in parse_qs(parts.query).items()}
    assert query["X-Amz-Algorithm"] == "AWS4-HMAC-SHA256"
    assert query["X-Amz-Date"] == "20261120T091502Z"
    assert query["X-Amz-Expires"] == str(EXPIRES_SECONDS)
    assert query["X-Amz-Credential"].endswith("/20261120/us-east-1/s3/aws4_request")
    assert len(query["X-Amz-Signature"]) == 64
    int(query["X-Amz-Signature"], 16)


async def test_nothing_is_checked_a_link_comes_back_for_any_job_and_object(
    client: httpx.AsyncClient, users: list[User]
) -> None:
    for job_id in (2, 999, 6, 10**30):
        url = await link(client, job_id, "no-such-object.png")
        assert segments(url) == [users[0].user_id, str(job_id), "no-such-object.png"]


async def test_another_users_job_id_links_into_the_callers_files_not_theirs(
    client: httpx.AsyncClient, users: list[User]
) -> None:
    url = await link(client, 6, "x.png")

    assert users[1].user_id not in url
    assert segments(url)[0] == users[0].user_id


@pytest.mark.parametrize(
    "object_uuid",
    ["a/b.png", "..", ".", "../../other-user/1/x.png", "é ü.png", "?#&=%+", "tab\there", "x" * 2000, "\u2028.jpg"],
)
async def test_any_object_uuid_stays_one_segment_of_a_valid_link(client: httpx.AsyncClient, object_uuid: str) -> None:
    url = await link(client, 3, object_uuid)

    assert is_uri(url)
    assert len(segments(url)) == 3
    assert segments(url)[2] == object_uuid


async def test_links_are_signed_per_object_and_time(client: httpx.AsyncClient) -> None:
    first, again, other = await link(client, 3, "a.png"), await link(client, 3, "a.png"), await link(client, 3, "b.png")

    assert first == again
    assert first != other


async def test_results_link_to_the_full_and_the_minified_json(client: httpx.AsyncClient, users: list[User]) -> None:
    body = (await client.get("/api/v1/jobs/get", params={"job-id": 2})).json()

    for object_uuid, links in body["results"].items():
        stem = object_uuid.rsplit(".", 1)[0]
        assert segments(links["full"]) == [users[0].user_id, "2", "results", f"{stem}.json"]
        assert segments(links["min"]) == [users[0].user_id, "2", "results", f"{stem}.min.json"]
        assert "X-Amz-Expires=3600" in links["full"]
