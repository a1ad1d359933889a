"""`python -m generator diff`: its two forms, its formats, its exit status, git `REV:path` sides in a throwaway
repository, and one realistic change of a real document, generated both sides."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from generator.__main__ import main
from generator.diff import cli
from generator.registry import ROOT, load_apis
from generator.tests.diff_helpers import BASE, BASE_TEXT, CASES, apply_patch, git

SLURPER = load_apis()["slurper"]


def _case(name: str) -> dict:
    return next(case for case in CASES if case["name"] == name)


def _write(folder: Path, name: str, document: object) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(document, sort_keys=False))
    return path


def _changed(tmp_path: Path, case_name: str) -> Path:
    return _write(tmp_path, "new.yaml", apply_patch(yaml.safe_load(BASE_TEXT), _case(case_name)["change"]))


def test_markdown_gives_where_level_what_breaks_and_exits_1_when_something_breaks(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    new = _changed(tmp_path, "a required query parameter added")

    status = main(["diff", "--no-code", str(BASE), str(new)])

    out = capsys.readouterr().out
    assert status == 1
    assert "**Breaks existing clients on the wire.**" in out
    assert (
        "| 1 | breaking | wire | query parameter `owner` added, required | `#/paths/~1jobs/get/parameters/4` |" in out
    )
    assert "`list-jobs` (GET /jobs)" in out
    assert "`new-required-request-parameter`" in out


def test_json_says_what_the_markdown_says(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    new = _changed(tmp_path, "a new value in an enum shared by requests and responses")

    assert main(["diff", "--no-code", str(BASE), str(new)]) == 1
    markdown = capsys.readouterr().out
    assert main(["diff", "--no-code", "--format", "json", str(BASE), str(new)]) == 1
    report = json.loads(capsys.readouterr().out)

    assert report["breaks"] == ["wire"]
    (document,) = report["documents"]
    (change,) = document["changes"]
    assert change["title"] == "`JobStatus`: value `failed` added"
    assert change["pointer"] == "/components/schemas/JobStatus/enum"
    assert change["level"] == "breaking"
    assert change["breaks"] == ["wire"]
    assert {"operation_id": "get-job", "method": "GET", "path": "/jobs/{job_id}"} in change["operations"]
    assert {finding["side"] for finding in change["findings"]} == {"request", "response"}
    for finding in change["findings"]:
        assert finding["message"] in markdown
    assert change["title"] in markdown
    assert document["bump"] == "minor"


def test_a_description_only_change_exits_0(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    new = _changed(tmp_path, "an operation's description reworded")

    assert main(["diff", "--no-code", str(BASE), str(new)]) == 0
    assert "**Breaks nothing.**" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("openapi: 3.1.0\ninfo: {title: x}\npaths: {}\n", "is not a valid OpenAPI 3.1 document"),
        ("openapi: [unclosed\n", "is not YAML"),
        ("openapi: 3.0.3\ninfo: {title: x, version: '1'}\npaths: {}\n", "is not an OpenAPI 3.1 document"),
    ],
)
def test_an_unusable_document_exits_2_naming_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, message: str
) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text(text)

    assert main(["diff", "--no-code", str(BASE), str(broken)]) == 2
    err = capsys.readouterr().err
    assert f"{broken} {message}" in err


def test_a_missing_side_and_an_unknown_api_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["diff", str(BASE), str(tmp_path / "nowhere.yaml")]) == 2
    assert "nowhere.yaml: no such file" in capsys.readouterr().err
    shutil.copy(BASE, tmp_path / "jobs.yaml")

    assert main(["diff", str(BASE), str(tmp_path / "jobs.yaml")]) == 2
    assert "pass --api NAME, or --no-code" in capsys.readouterr().err


@pytest.fixture
def repository(tmp_path: Path) -> Path:
    """A throwaway git repository: openapi/slurper.yaml committed twice (the corpus base, then with a new required
    query parameter), and the working copy with a third change (an operationId renamed)."""
    repository = tmp_path / "repository"
    repository.mkdir()
    git(repository, "init", "--quiet", "--initial-branch=main")
    spec = repository / "openapi" / "slurper.yaml"
    _write(repository, "openapi/slurper.yaml", yaml.safe_load(BASE_TEXT))
    git(repository, "add", ".")
    git(repository, "commit", "--quiet", "-m", "base")
    changed = apply_patch(yaml.safe_load(BASE_TEXT), _case("a required query parameter added")["change"])
    spec.write_text(yaml.safe_dump(changed, sort_keys=False))
    git(repository, "commit", "--quiet", "-am", "owner")
    renamed = apply_patch(changed, _case("an operationId renamed")["change"])
    spec.write_text(yaml.safe_dump(renamed, sort_keys=False))
    return repository


def test_git_revisions_as_sides(repository: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["--no-code", "HEAD~1:openapi/slurper.yaml", "HEAD:openapi/slurper.yaml"], cwd=repository) == 1
    between_commits = capsys.readouterr().out
    assert "## `slurper`: `HEAD~1:openapi/slurper.yaml` → `HEAD:openapi/slurper.yaml`" in between_commits
    assert "query parameter `owner` added, required" in between_commits

    assert cli.main(["--no-code", "HEAD:openapi/slurper.yaml", "openapi/slurper.yaml"], cwd=repository) == 0
    working_copy = capsys.readouterr().out
    assert "operationId `get-job` → `fetch-job`" in working_copy
    assert "owner" not in working_copy


def test_git_revision_with_the_generated_code(repository: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # The path names the API (openapi/slurper.yaml): both sides are generated as slurper's package.
    assert cli.main(["HEAD:openapi/slurper.yaml", "openapi/slurper.yaml"], cwd=repository) == 1

    out = capsys.readouterr().out
    assert "**Breaks code written against the old package;** nothing breaks on the wire." in out
    assert "module `api.jobs.get_job` renamed to `api.jobs.fetch_job`" in out


def test_an_unknown_revision_or_path_exits_2(repository: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["--no-code", "nosuchrev:openapi/slurper.yaml", "openapi/slurper.yaml"], cwd=repository) == 2
    assert "nosuchrev:openapi/slurper.yaml: cannot read it from git" in capsys.readouterr().err

    assert cli.main(["--no-code", "HEAD:openapi/other.yaml", "openapi/slurper.yaml"], cwd=repository) == 2
    assert "HEAD:openapi/other.yaml: cannot read it from git" in capsys.readouterr().err


def test_base_form_compares_every_document_of_the_registry(capsys: pytest.CaptureFixture[str]) -> None:
    status = main(["diff", "--no-code", "--base", "HEAD"])

    out = capsys.readouterr().out
    assert status in (0, 1)
    for api in load_apis().values():
        assert f"## `{api.name}`: `HEAD:{api.label}` → `{api.label}`" in out


def test_base_form_refuses_an_unknown_revision(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["diff", "--no-code", "--base", "no-such-revision", "slurper"]) == 2
    assert "no-such-revision: no such git revision" in capsys.readouterr().err


def test_the_default_base_is_the_merge_base_with_origin_main_else_head(repository: Path) -> None:
    assert cli.default_base(repository) == "HEAD"
    assert cli.default_base(ROOT) in ("HEAD", *[line for line in [_merge_base()] if line])


def _merge_base() -> str:
    result = subprocess.run(
        ["git", "merge-base", "origin/main", "HEAD"],  # noqa: S607
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    return result.stdout.strip()


def test_a_realistic_change_of_a_real_document(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A `failed` job status in openapi/slurper.yaml: old clients cannot read such a job; code still works."""
    document = yaml.safe_load(SLURPER.spec.read_text())
    document["components"]["schemas"]["JobStatus"]["enum"].append("failed")
    new = _write(tmp_path, "slurper.yaml", document)

    assert main(["diff", "--format", "json", SLURPER.label, str(new)]) == 1

    report = json.loads(capsys.readouterr().out)["documents"][0]
    assert report["api"] == "slurper"
    assert report["breaks"] == ["wire"]
    assert report["bump"] == "minor"
    (change,) = report["changes"]
    assert change["rules"] == ["response-property-enum-value-added", "code-enum-member-added"]
    assert "models.job_status.JobStatus.FAILED" in change["touches"]
    assert {operation["operation_id"] for operation in change["operations"]} == {
        "slurper-list-jobs",
        "slurper-get-job",
        "slurper-get-job-progress",
    }
