"""`python -m generator dist [API ...]` (`make dist`): each API's committed package as a wheel of its own in dist/,
`generated-client-<package>`, installing `generated_client.<package>` (a namespace package, so that any of the three
install side by side and import as the README shows), at the version the generator wrote into it, requiring what
the project's `dependencies` list (what the generated clients import at run time)."""

import ast
import os
import shutil
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

from . import versions
from .registry import ROOT, Api

DIST = ROOT / "dist"
# flit_core stamps every file of a wheel with SOURCE_DATE_EPOCH: the same package gives the same wheel, byte for byte.
# 1980-01-01, the earliest date a zip file can hold.
SOURCE_DATE_EPOCH = "315532800"


class DistError(Exception):
    """A wheel cannot be built; the message says why."""


def distribution_name(api: Api) -> str:
    return f"generated-client-{api.package}"


def package_version(package: Path) -> str | None:
    """The `__version__` a generated package's `__init__.py` assigns."""
    tree = ast.parse((package / "__init__.py").read_text())
    for statement in tree.body:
        if (
            isinstance(statement, ast.Assign)
            and any(isinstance(target, ast.Name) and target.id == "__version__" for target in statement.targets)
            and isinstance(statement.value, ast.Constant)
        ):
            return str(statement.value.value)
    return None


def _project() -> dict[str, object]:
    with (ROOT / "pyproject.toml").open("rb") as handle:
        project = tomllib.load(handle)["project"]
    return dict(project)


def _quoted(values: list[str]) -> str:
    return "[" + ", ".join(f'"{value}"' for value in values) + "]"


def pyproject(api: Api, version: str) -> str:
    """The wheel's pyproject.toml: flit_core, the package as a module of the `generated_client` namespace."""
    project = _project()
    dependencies = [str(item) for item in project.get("dependencies", [])]  # type: ignore[attr-defined]
    return (
        "[build-system]\n"
        'requires = ["flit_core>=4,<5"]\n'
        'build-backend = "flit_core.buildapi"\n\n'
        "[project]\n"
        f'name = "{distribution_name(api)}"\n'
        f'version = "{version}"\n'
        f'description = "The {api.title} client, generated from {api.label}"\n'
        'readme = "README.md"\n'
        f'requires-python = "{project.get("requires-python", ">=3.11")}"\n'
        f'license = "{project.get("license", "MIT")}"\n'
        f"dependencies = {_quoted(dependencies)}\n\n"
        "[tool.flit.module]\n"
        f'name = "generated_client.{api.package}"\n'
    )


def readme(api: Api, package: Path) -> str:
    """The wheel's description: how to import it, then its changelog."""
    changelog = package / "CHANGELOG.md"
    history = changelog.read_text().split("\n", 1)[1] if changelog.exists() else ""
    return (
        f"# {distribution_name(api)}\n\n"
        f"The {api.title} client, generated from `{api.label}`.\n\n"
        f"```python\nfrom generated_client.{api.package} import AuthenticatedClient\n```\n\n" + history
    )


def build_wheel(api: Api, into: Path, package: Path | None = None) -> Path:
    """Build `api`'s package as a wheel into `into`.

    Args:
        api: The API.
        into: The folder the wheel is written to.
        package: The package's folder (default: the committed one, generated_client/<package>/).

    Returns:
        The wheel.

    Raises:
        DistError: The package has no version, or not the recorded one, or the build failed.
    """
    package = package or api.output
    version = package_version(package)
    release = versions.load_record().get(api.name)
    if version is None or release is None:
        raise DistError(f"generated_client/{api.package} has no version: run `make release API={api.name}`")
    if version != release.version:
        raise DistError(
            f"generated_client/{api.package} is {version}, generator/versions.toml records {release.version}: "
            "run `make generate`"
        )
    into.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="generator-dist-") as tmp:
        project = Path(tmp)
        shutil.copytree(
            package,
            project / "generated_client" / api.package,
            ignore=shutil.ignore_patterns("__pycache__", "*.pyc"),
        )
        (project / "pyproject.toml").write_text(pyproject(api, version))
        (project / "README.md").write_text(readme(api, package))
        command = [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--disable-pip-version-check",
            "--no-deps",
            "--no-build-isolation",
            "--wheel-dir",
            str(into),
            str(project),
        ]
        env = {**os.environ, "SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH}
        result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
        if result.returncode != 0:
            raise DistError(f"building {distribution_name(api)} failed:\n{result.stdout}{result.stderr}")
    wheel = into / f"{distribution_name(api).replace('-', '_')}-{version}-py3-none-any.whl"
    if not wheel.exists():
        raise DistError(f"building {distribution_name(api)} left no {wheel.name} in {into}")
    return wheel
