"""Fixtures for the questionnaire tests: built forms and ODK's form engine in Node."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from forms.build import FORMS_DIR, BuiltForm, build_all
from tests.form_engine import engine_install

ENGINE_DIR = FORMS_DIR / "engine"
MEDIA_DIR = Path(__file__).resolve().parent / "media"
XF = "{http://www.w3.org/2002/xforms}"

EngineRun = Callable[[str, list[dict[str, Any]]], list[dict[str, Any]]]


@pytest.fixture(scope="session")
def built_forms() -> dict[str, BuiltForm]:
    return {form.form_id: form for form in build_all()}


@pytest.fixture(scope="session")
def built_form_files(built_forms, tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("built_forms")
    paths = {}
    for form_id, form in built_forms.items():
        paths[form_id] = folder / f"{form_id}.xml"
        paths[form_id].write_text(form.xml, encoding="utf-8")
    return paths


@pytest.fixture(scope="session")
def engine(built_form_files) -> Iterator[EngineRun]:
    """``engine(form_id, tasks)`` runs tasks in @getodk/xforms-engine (forms/engine/drive.mjs).

    One Node process serves the whole session, one JSON request per line.
    """
    engine_install()
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is needed to run ODK's form engine")
    process = subprocess.Popen(
        [node, "drive.mjs", "--lines"],
        cwd=ENGINE_DIR,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
    )

    def run(form_id: str, tasks: list[dict[str, Any]]) -> list[dict[str, Any]]:
        request = {
            "form": str(built_form_files[form_id]),
            "media_dir": str(MEDIA_DIR),
            "tasks": tasks,
        }
        process.stdin.write(json.dumps(request) + "\n")
        process.stdin.flush()
        line = process.stdout.readline()
        assert line, f"the engine stopped: {process.stderr.read()}"
        results = json.loads(line)
        for task, result in zip(tasks, results, strict=True):
            assert task["kind"] == "load" or result.get("error") is None, result["error"]
        return results

    yield run
    process.stdin.close()
    process.wait(timeout=30)


@pytest.fixture(scope="session")
def fill(engine) -> Callable[..., list[dict[str, Any]]]:
    """``fill(form_id, [answers, ...], read=[...])``: one blank instance per answer list."""

    def run(form_id: str, cases: list[dict[str, str]], read: list[str]) -> list[dict[str, Any]]:
        tasks = [{"kind": "fill", "answers": list(case.items()), "read": read} for case in cases]
        return engine(form_id, tasks)

    return run


@pytest.fixture(scope="session")
def violated() -> Callable[[dict[str, Any]], dict[str, str]]:
    """``violated(result)``: ``{reference: condition}`` of the engine's validation failures."""
    return lambda result: {v["reference"]: v["condition"] for v in result["violations"]}


def instance_template(form: BuiltForm) -> etree._Element:
    doc = etree.fromstring(form.xml.encode("utf-8"))
    return next(iter(doc.find(f".//{XF}model/{XF}instance")))


@pytest.fixture(scope="session")
def instance_paths(built_forms) -> dict[str, set[str]]:
    """``{form_id: every element path of the primary instance}`` (no namespaces or indexes)."""
    return {form_id: template_paths(form) for form_id, form in built_forms.items()}


def template_paths(form: BuiltForm) -> set[str]:
    """Every element path of the primary instance, without namespaces or repeat indexes."""
    root = instance_template(form)
    paths = set()

    def visit(element: etree._Element, prefix: str) -> None:
        path = f"{prefix}/{etree.QName(element).localname}"
        paths.add(path)
        for child in element:
            if isinstance(child.tag, str):
                visit(child, path)

    visit(root, "")
    return paths
