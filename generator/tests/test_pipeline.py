"""The generator: it stops on bad documents, its output is reproducible, and --check catches every kind of drift."""

import importlib
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from generator import pipeline
from generator.lint import lint
from generator.registry import ROOT, Api, load_apis
from generator.treediff import diff_trees

SLURPER = load_apis()["slurper"]
CONNECT = load_apis()["connect"]


def _with_spec(tmp_path: Path, change) -> Api:
    """The slurper entry, pointing at a changed copy of its document (the output stays generated_client/slurper)."""
    document = yaml.safe_load(SLURPER.spec.read_text())
    change(document)
    spec = tmp_path / "slurper.yaml"
    spec.write_text(yaml.safe_dump(document, sort_keys=False))
    return Api(name="slurper", spec=spec, package=SLURPER.package, config=SLURPER.config, spec_label=SLURPER.label)


def test_committed_clients_are_up_to_date() -> None:
    assert pipeline.generate(list(load_apis().values()), check=True) == []


def test_check_fails_when_a_field_is_added_without_regenerating(tmp_path: Path) -> None:
    def add_field(document: dict) -> None:
        document["components"]["schemas"]["Job"]["properties"]["region"] = {"type": "string"}

    differences = pipeline.generate([_with_spec(tmp_path, add_field)], check=True)

    assert "changed in generated_client/slurper: models/job.py" in differences
    assert any(line.startswith("+") and "region" in line for line in differences)


def test_check_reports_added_and_removed_files(tmp_path: Path) -> None:
    def rename_schema(document: dict) -> None:
        document["components"]["schemas"]["JobProgressCounters"] = document["components"]["schemas"].pop("JobProgress")
        progress = document["components"]["schemas"]["JobProgressResponse"]["allOf"][1]["properties"]["result"]
        progress["$ref"] = "#/components/schemas/JobProgressCounters"

    differences = pipeline.generate([_with_spec(tmp_path, rename_schema)], check=True)

    assert (
        "missing from generated_client/slurper: models/job_progress_counters.py (the document now generates it)"
        in differences
    )
    assert (
        "extra in generated_client/slurper: models/job_progress.py (the document no longer generates it)" in differences
    )


def test_generation_is_byte_for_byte_reproducible(tmp_path: Path) -> None:
    first = pipeline.build(SLURPER, tmp_path / "first")
    second = pipeline.build(SLURPER, tmp_path / "second")

    assert diff_trees(first, second, "second run") == []
    assert diff_trees(SLURPER.output, first, "generated_client/slurper") == []


@pytest.fixture
def staging(tmp_path: Path) -> Path:
    (tmp_path / "staging").mkdir()
    return tmp_path / "staging"


def test_invalid_document_stops_generation_with_the_reason(tmp_path: Path) -> None:
    def undeclared_path_parameter(document: dict) -> None:
        document["paths"]["/accounts/{account_id}/slurper/jobs/{job_id}"]["parameters"].pop()

    with pytest.raises(pipeline.GenerationError, match="job_id"):
        pipeline.validate(_with_spec(tmp_path, undeclared_path_parameter))


def test_a_dropped_endpoint_is_an_error_not_a_warning(tmp_path: Path, staging: Path) -> None:
    def unsupported_content_type(document: dict) -> None:
        responses = document["paths"]["/accounts/{account_id}/slurper/jobs"]["get"]["responses"]
        responses["200"]["content"] = {"application/xml": {"schema": {"type": "string"}}}

    with pytest.raises(pipeline.GenerationError, match="openapi-python-client"):
        pipeline.build(_with_spec(tmp_path, unsupported_content_type), staging)


def test_lint_rejects_a_union_the_generated_client_cannot_tell_apart() -> None:
    document = yaml.safe_load(SLURPER.spec.read_text())
    document["components"]["schemas"]["GCSSource"]["properties"]["vendor"] = {"type": "string"}

    problems = lint(document)

    assert any("#/components/schemas/Source" in problem and "const" in problem for problem in problems)


def test_lint_rejects_a_json_sequence_without_an_array_schema() -> None:
    tail = "/v1/content/{guid}/jobs/{key}/tail"
    document = yaml.safe_load(CONNECT.spec.read_text())
    assert lint(document) == []
    content = document["paths"][tail]["get"]["responses"]["200"]["content"]
    assert content["application/json"]["x-json-sequence"] is True
    content["application/json"]["schema"] = {"$ref": "#/components/schemas/LogEntry"}

    assert lint(document) == [
        f"GET {tail} 200 (application/json): x-json-sequence needs an array schema, the sequence read as the list of "
        "its values"
    ]


def test_lint_rejects_an_operation_without_operation_id() -> None:
    document = yaml.safe_load(SLURPER.spec.read_text())
    del document["paths"]["/accounts/{account_id}/slurper/source/connectivity-precheck"]["put"]["operationId"]

    assert lint(document) == [
        "PUT /accounts/{account_id}/slurper/source/connectivity-precheck: "
        "no operationId (it names the generated module)"
    ]


def test_changed_upstream_templates_stop_generation(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pins = tmp_path / "UPSTREAM.sha256"
    pins.write_text("0" * 64 + " endpoint_module.py.jinja\n")
    monkeypatch.setattr(pipeline, "UPSTREAM_PINS", pins)

    with pytest.raises(pipeline.GenerationError, match=r"endpoint_module\.py\.jinja"):
        pipeline.check_upstream_templates()


def test_every_generated_python_file_says_it_is_generated() -> None:
    for path in SLURPER.output.rglob("*.py"):
        assert path.read_text().startswith("# Generated by `python -m generator` from "), path


@pytest.mark.parametrize("api", list(load_apis().values()), ids=lambda api: api.name)
def test_each_runtime_module_ships_as_written_with_its_packages_imports_made_relative(api: Api) -> None:
    for module in pipeline.runtime_modules(api):
        shipped = (api.output / module.name).read_text()
        source = pipeline.RUNTIME.parent.parent / shipped.splitlines()[0].split(" from ", 1)[1].split(":", 1)[0]
        assert source == module, module
        relative = re.sub(rf"\bfrom generated_client\.{api.package}\b\.?", "from .", module.read_text())
        # _drift.py names the document the package was generated from (its one substitution).
        relative = relative.replace('DOCUMENT = "the OpenAPI document"', f'DOCUMENT = "{api.label}"')
        # The formatter may reorder the imports once they are relative, and regroup them: compare the lines as sets.
        assert _lines(shipped.split("\n", 1)[1]) == _lines(relative), module
        assert not _imports_by_name(shipped), module


def _imports_by_name(text: str) -> list[str]:
    """The lines of `text` that import from generated_client or generator by name."""
    return [line for line in text.splitlines() if re.match(r"\s*(from|import) (generated_client|generator)\b", line)]


def _lines(text: str) -> list[str]:
    return sorted(line for line in text.splitlines() if line.strip())


def test_the_runtime_imports_where_it_lives() -> None:
    modules = sorted(pipeline.RUNTIME.rglob("*.py"))
    names = [".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__") for path in modules]

    imported = [importlib.import_module(name) for name in names]

    assert len(imported) == len(modules) > 10


@pytest.mark.parametrize(
    ("line", "reaches"),
    [
        ("from generated_client.slurper.models import Job", "generated_client.slurper.models"),
        ("import generated_client.connect.errors", "generated_client.connect.errors"),
        ("from generator.registry import ROOT", "generator.registry"),
        ("from ..errors import APIError", "..errors"),
    ],
)
def test_a_runtime_module_that_imports_from_outside_its_package_stops_generation(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, line: str, reaches: str
) -> None:
    runtime = tmp_path / "runtime"
    shutil.copytree(pipeline.RUNTIME / CONNECT.name, runtime / CONNECT.name)
    (runtime / CONNECT.name / "helper.py").write_text(f'"""A helper."""\n\n{line}\n')
    monkeypatch.setattr(pipeline, "RUNTIME", runtime)
    monkeypatch.setattr(pipeline, "HERE", tmp_path)

    with pytest.raises(pipeline.GenerationError, match=rf"runtime/connect/helper.py:3 imports {re.escape(reaches)}"):
        pipeline.shipped_text(runtime / CONNECT.name / "helper.py", CONNECT)


def test_a_runtime_module_of_an_api_is_shipped_with_that_package_made_relative() -> None:
    shipped = pipeline.shipped_text(pipeline.RUNTIME / CONNECT.name / "wait.py", CONNECT)

    assert "from . import _polling, errors\n" in shipped
    assert "from .api.jobs import get_job\n" in shipped
    assert "from .log_tail import " in shipped
    assert not _imports_by_name(shipped)


def test_cli_check_exit_codes() -> None:
    ok = subprocess.run(
        [sys.executable, "-m", "generator", "--check", "slurper"], cwd=ROOT, capture_output=True, text=True
    )
    unknown = subprocess.run([sys.executable, "-m", "generator", "nosuchapi"], cwd=ROOT, capture_output=True, text=True)

    assert ok.returncode == 0, ok.stderr
    assert "slurper: up to date" in ok.stdout
    assert unknown.returncode == 2
    assert "nosuchapi" in unknown.stderr


def test_a_generated_package_works_copied_out_of_the_repository(tmp_path: Path) -> None:
    """A user can copy one package into a project: it imports nothing from outside itself."""
    shutil.copytree(SLURPER.output, tmp_path / "cloudflare_slurper")
    program = (
        "import httpx, respx\n"
        "from cloudflare_slurper import AuthenticatedClient\n"
        "from cloudflare_slurper.api.r2_super_slurper import slurper_get_job_progress\n"
        "body = {'success': True, 'errors': [], 'messages': [], 'result': {'id': 'j', 'createdAt': 't',"
        " 'status': 'completed', 'objects': 2, 'transferredObjects': 2, 'failedObjects': 0, 'skippedObjects': 0}}\n"
        "with respx.mock(base_url='https://api.test') as router:\n"
        "    router.get('/accounts/a/slurper/jobs/j/progress').respond(200, json=body)\n"
        "    client = AuthenticatedClient(base_url='https://api.test', token='t')\n"
        "    print(slurper_get_job_progress.sync('a', 'j', client=client).result.status.value)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", program],
        cwd=tmp_path,
        env={"PYTHONPATH": str(tmp_path), "PATH": ""},
        capture_output=True,
        text=True,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "completed"
