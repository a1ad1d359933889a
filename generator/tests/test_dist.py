"""`make dist`: each API's package is a wheel of its own, reproducible, that installs into a fresh venv and imports
on its own (a few seconds: a venv, then the wheels' dependencies from the package index, as `make install` gets
them)."""

import os
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

from generator import versions
from generator.dist import build_wheel, distribution_name
from generator.registry import load_apis

APIS = load_apis()


@pytest.fixture(scope="module")
def wheels(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("dist")
    return {name: build_wheel(api, folder) for name, api in APIS.items()}


def test_each_package_is_a_wheel_of_its_own(wheels: dict[str, Path]) -> None:
    recorded = versions.load_record()
    for name, wheel in wheels.items():
        api = APIS[name]
        assert wheel.name == f"generated_client_{api.package}-{recorded[name].version}-py3-none-any.whl"
        with zipfile.ZipFile(wheel) as archive:
            files = set(archive.namelist())
            metadata = archive.read(f"generated_client_{api.package}-{recorded[name].version}.dist-info/METADATA")
        assert {f"generated_client/{api.package}/__init__.py", f"generated_client/{api.package}/py.typed"} <= files
        assert f"generated_client/{api.package}/CHANGELOG.md" in files
        # A namespace package: the three install side by side without one owning generated_client/__init__.py.
        assert "generated_client/__init__.py" not in files
        assert all(path.startswith((f"generated_client/{api.package}/", "generated_client_")) for path in files)
        assert f"Name: {distribution_name(api)}\n".encode() in metadata
        assert b"Requires-Dist: httpx>=" in metadata
        assert b"Requires-Dist: httpx-retries>=" in metadata


def test_wheels_are_reproducible(wheels: dict[str, Path], tmp_path: Path) -> None:
    again = build_wheel(APIS["slurper"], tmp_path)

    assert again.read_bytes() == wheels["slurper"].read_bytes()


def test_wheels_install_and_import_in_a_fresh_venv(wheels: dict[str, Path], tmp_path: Path) -> None:
    environment = tmp_path / "venv"
    # No pip of its own (ensurepip takes seconds): this venv's pip installs into it (`pip --python`).
    venv.create(environment, with_pip=False)
    python = str(environment / "bin" / "python")
    env = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "VIRTUAL_ENV")}

    def run(*command: str) -> str:
        result = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True, check=False)
        assert result.returncode == 0, result.stdout + result.stderr
        return result.stdout

    pip = [sys.executable, "-m", "pip", "--python", python, "install", "--quiet", "--disable-pip-version-check"]
    # One package alone: it needs none of the others, nor anything of this repository.
    run(*pip, str(wheels["slurper"]))
    alone = run(python, "-c", "import generated_client.slurper as s; print(s.__version__, s.__file__)")
    assert str(environment) in alone
    run(*pip, str(wheels["connect"]), str(wheels["rekosearch"]))
    imported = run(
        python,
        "-c",
        "from generated_client.slurper.api.r2_super_slurper import slurper_list_jobs\n"
        "from generated_client.connect import AuthenticatedClient\n"
        "from generated_client.rekosearch.models import JobDetails\n"
        "import generated_client.connect as c, generated_client.rekosearch as r\n"
        "print(c.__version__, r.__version__)",
    )
    recorded = versions.load_record()
    assert imported.split() == [recorded["connect"].version, recorded["rekosearch"].version]
