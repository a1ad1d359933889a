"""Every fact of a document knows where it comes from (generator/provenance.py): each constraint that the sources do
not state (Cloudflare's schema for the slurper, the tables in openapi/sourced/ for Connect and RekoSearch) carries a
mark, sourced with a citation that exists, or assumed with its reason; and the document with its assumptions taken
out is what the suite holds a live server to."""

import copy
from typing import Any

import pytest

from contract_tests.documents import ROOT, document_paths, load
from generator import provenance
from generator.pipeline import README, update_readme
from generator.registry import load_apis

APIS = [path.stem for path in document_paths()]


def _audit(api: str, document: dict | None = None) -> provenance.Audit:
    return provenance.audit(load(api) if document is None else document, ROOT, f"openapi/{api}.yaml")


@pytest.mark.parametrize("api", APIS)
def test_every_constraint_beyond_the_sources_carries_a_mark(api: str) -> None:
    assert _audit(api).problems == []


@pytest.mark.parametrize(
    ("api", "pointer"),
    [
        ("slurper", "/components/schemas/Job/properties/id"),
        ("connect", "/components/schemas/JobItem/properties/hostname"),
        ("rekosearch", "/components/schemas/JobSummary/properties/status"),
    ],
)
def test_an_unmarked_constraint_fails_the_audit(api: str, pointer: str) -> None:
    document = copy.deepcopy(load(api))
    provenance.lookup(document, pointer)["maxLength"] = 64

    problems = _audit(api, document).problems

    assert len(problems) == 1, problems
    assert f"openapi/{api}.yaml#{pointer}: `maxLength: 64`" in problems[0]
    assert "carries no mark" in problems[0]


def test_a_required_property_added_without_a_mark_fails_the_audit() -> None:
    document = copy.deepcopy(load("slurper"))
    provenance.lookup(document, "/components/schemas/JobTarget").setdefault("required", []).append("bucket")

    problems = _audit("slurper", document).problems

    assert [problem for problem in problems if "`required: bucket`" in problem and "JobTarget" in problem], problems


def test_an_assumed_mark_on_what_the_vendor_states_fails_the_audit() -> None:
    document = copy.deepcopy(load("slurper"))
    limit = provenance.lookup(document, "/components/parameters/limit/schema")
    limit.setdefault(provenance.MARKS, {})["maximum"] = {"assumed": "no reason"}

    problems = _audit("slurper", document).problems

    assert any("`maximum: 50` is marked assumed" in problem for problem in problems), problems


def test_a_citation_of_a_section_the_reference_lacks_fails_the_audit() -> None:
    document = copy.deepcopy(load("slurper"))
    limit = provenance.lookup(document, "/components/parameters/limit/schema")
    limit[provenance.MARKS]["minimum"] = {"sourced": "reference §99.1"}

    problems = _audit("slurper", document).problems

    assert any("cites §99.1" in problem for problem in problems), problems


def test_a_mark_of_a_keyword_the_node_lacks_is_refused() -> None:
    document = copy.deepcopy(load("slurper"))
    provenance.lookup(document, "/components/schemas/Job")[provenance.MARKS]["maxLength"] = {"assumed": "x"}

    assert any("has no 'maxLength' to mark" in problem for problem in provenance.check_marks(document))


@pytest.mark.parametrize("api", APIS)
def test_the_sourced_only_document_lacks_exactly_the_assumed_constraints(api: str) -> None:
    document = load(api)
    stripped = provenance.sourced_only(document)

    before = {constraint.fact for constraint in provenance.constraints(document)}
    after = {constraint.fact for constraint in provenance.constraints(stripped)}
    assumed = {
        key
        for key, mark in provenance.assumed_marks(document).items()
        if key[1] not in (provenance.MEDIA_TYPE, provenance.STATUS)
    }

    assert before - after == assumed
    assert after <= before
    assert document == load(api), "sourced_only changed the document it was given"


def test_the_readme_lists_every_mark_and_fact_as_the_documents_say() -> None:
    """openapi/README.md's lists are generated from the marks (`make generate` writes them, `make check-generated`
    fails when they are stale), so the prose and the marks cannot disagree."""
    assert update_readme(list(load_apis().values()), check=True) == []


def test_a_mark_changed_without_the_readme_is_found() -> None:
    readme = README.read_text()
    document = copy.deepcopy(load("slurper"))
    limit = provenance.lookup(document, "/components/parameters/limit/schema")
    limit[provenance.MARKS]["minimum"] = {"sourced": "reference §3"}

    regenerated = provenance.with_readme_section(
        readme, "slurper", provenance.readme_section(document, "openapi/slurper.yaml")
    )

    assert regenerated != readme
    assert "| `/components/parameters/limit/schema` | `minimum: 1` | sourced | reference §3 |" in regenerated


@pytest.mark.parametrize("api", APIS)
def test_every_document_says_what_a_job_is_across_reads(api: str) -> None:
    declared = provenance.jobs(load(api))

    assert declared is not None
    assert declared.complete_list is not None
    assert declared.unchanging
    names = set(provenance.facts(load(api)))
    assert {"job status moves only as x-jobs/moves allows", "a complete list holds every job"} <= names
    assert {f"job {field} never changes" for field in declared.unchanging} <= names


@pytest.mark.parametrize(
    ("change", "complaint"),
    [
        pytest.param(
            lambda jobs: jobs["reads"].update({"no-such-operation": "$response.body#"}), "/x-jobs/reads", id="read"
        ),
        pytest.param(lambda jobs: jobs["moves"].pop("assumed"), "/x-jobs/moves", id="unmarked-moves"),
        pytest.param(lambda jobs: jobs["unchanging"][0].update({"fields": "/id"}), "/fields", id="fields"),
        pytest.param(lambda jobs: jobs.update({"scopes": []}), "/x-jobs", id="unknown-key"),
        pytest.param(lambda jobs: jobs["complete-list"].update({"operation": "x"}), "complete-list", id="list"),
    ],
)
def test_a_malformed_x_jobs_is_refused(change: Any, complaint: str) -> None:
    document = copy.deepcopy(load("slurper"))
    change(document["x-jobs"])

    problems = provenance.check_marks(document)

    assert len(problems) == 1
    assert complaint in problems[0]


def test_moves_judge_families_and_statuses_the_table_does_not_name() -> None:
    moves = provenance.jobs(load("rekosearch")).moves  # type: ignore[union-attr]

    assert moves.allows("processing_10%", "processing_90%")
    assert moves.allows("queued", "success")
    assert not moves.allows("success", "queued")
    assert not moves.allows("failed_critical", "processing")
    assert moves.allows("an-unknown-status", "queued")
    # A requeue (failed_requeued -> queued) may start the progress over.
    assert moves.allows("processing_90%", "processing_10%")
    slurper = provenance.jobs(load("slurper")).moves  # type: ignore[union-attr]
    assert slurper.sources_of("paused") == {"running"}
    assert slurper.sources_of("aborted") == {"running", "paused"}
    assert not slurper.allows("completed", "running")
