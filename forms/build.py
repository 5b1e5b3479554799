"""Build every XLSForm in forms/ into an XForm under forms/build/.

Run from the repository root: ``python -m forms.build`` (``make forms``). It

1. converts each ``forms/*.xlsx`` with pyxform (the version the server uses) and fails on
   any pyxform warning or error, and on any label, hint or message missing in a language;
2. checks ``forms/versions.json``: a form whose content changed must carry a new, larger
   ``version``; a new version is recorded there (commit the file);
3. writes ``forms/build/<form_id>.xml`` and regenerates the data dictionary in ``docs/forms/``.

``--check`` changes nothing on disk and fails when versions.json or the data dictionary is
out of date (CI uses it). The server and tests call :func:`build_form` directly.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree
from openpyxl import load_workbook
from pyxform.errors import PyXFormError
from pyxform.xls2xform import ConvertResult, convert

FORMS_DIR = Path(__file__).resolve().parent
BUILD_DIR = FORMS_DIR / "build"
VERSIONS_FILE = FORMS_DIR / "versions.json"

# The five questionnaires. Their form_ids are a contract with the server and the ETL.
FORM_IDS: tuple[str, ...] = (
    "sewage_facility_inspection",
    "village_sewage_coverage",
    "black_odorous_water",
    "agri_film_recovery",
    "straw_utilization",
)
XF = "{http://www.w3.org/2002/xforms}"
# Root element of every primary instance (settings sheet column ``name``).
INSTANCE_ROOT = "data"


class FormBuildError(Exception):
    """A form did not convert cleanly; the message says which form and why."""


@dataclass
class BuiltForm:
    """One converted XLSForm."""

    form_id: str
    version: str
    title: str
    source: Path
    xml: str
    warnings: list[str] = field(default_factory=list)
    result: ConvertResult | None = field(default=None, repr=False)

    @property
    def media_files(self) -> list[str]:
        """Names of the CSV media files the form reads (``select_one_from_file``)."""
        names = set()
        for element in self.result._survey.iter_descendants() if self.result else []:
            itemset = getattr(element, "itemset", None) or ""
            if itemset.endswith((".csv", ".xml", ".geojson")):
                names.add(itemset)
        return sorted(names)


class _WarningCollector(logging.Handler):
    """pyxform reports some problems through logging instead of its warnings list."""

    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def source_paths(forms_dir: Path = FORMS_DIR) -> list[Path]:
    """The XLSForm sources, skipping Excel/WPS lock files (``~$name.xlsx``)."""
    return sorted(p for p in forms_dir.glob("*.xlsx") if not p.name.startswith(("~$", ".~")))


def build_form(source: Path) -> BuiltForm:
    """Convert one XLSForm; raise FormBuildError on a pyxform error or warning."""
    collector = _WarningCollector()
    logger = logging.getLogger("pyxform")
    logger.addHandler(collector)
    warnings: list[str] = []
    try:
        result = convert(xlsform=str(source), warnings=warnings, pretty_print=True)
    except PyXFormError as exc:
        raise FormBuildError(f"{source.name}: {exc}") from exc
    finally:
        logger.removeHandler(collector)
    warnings += collector.messages
    settings = result._pyxform
    built = BuiltForm(
        form_id=settings["id_string"],
        version=str(settings.get("version", "")),
        title=settings.get("title", ""),
        source=source,
        xml=result.xform,
        warnings=warnings,
        result=result,
    )
    if warnings:
        raise FormBuildError(f"{source.name}: pyxform warnings: " + "; ".join(warnings))
    missing = missing_translations(result.xform)
    if missing:
        raise FormBuildError(f"{source.name}: text missing in a language: " + "; ".join(missing))
    if settings.get("name") != INSTANCE_ROOT:
        raise FormBuildError(f"{source.name}: settings name must be '{INSTANCE_ROOT}'")
    if not built.version.isdigit():
        raise FormBuildError(f"{source.name}: version must be digits like 2026113001")
    return built


def missing_translations(xform: str) -> list[str]:
    """``"<language>: <text id>"`` for every label, hint or message left empty in a language.

    pyxform accepts an empty ``label::English (en)`` cell silently and writes "-" instead.
    """
    doc = etree.fromstring(xform.encode("utf-8"))
    missing = []
    for translation in doc.iter(f"{XF}translation"):
        for text in translation.iter(f"{XF}text"):
            if "".join(text.itertext()).strip() in ("", "-"):
                missing.append(f"{translation.get('lang')}: {text.get('id')}")
    return missing


def build_all(forms_dir: Path = FORMS_DIR) -> list[BuiltForm]:
    """Convert every XLSForm in ``forms_dir``; raise on the first problem."""
    return [build_form(path) for path in source_paths(forms_dir)]


def content_digest(source: Path) -> str:
    """md5 of the workbook's cell values, ignoring the version cell and file metadata.

    Re-saving a file in Excel or WPS without editing it keeps the digest, so only real
    edits demand a new version.
    """
    workbook = load_workbook(source, read_only=True, data_only=False)
    content: dict[str, list[list[Any]]] = {}
    for sheet in workbook.worksheets:
        rows = [list(row) for row in sheet.iter_rows(values_only=True)]
        if sheet.title == "settings" and rows:
            header = [str(h or "").strip() for h in rows[0]]
            if "version" in header:
                col = header.index("version")
                for row in rows[1:]:
                    if col < len(row):
                        row[col] = None
        rows = [[("" if v is None else str(v)) for v in row] for row in rows]
        content[sheet.title] = [row for row in rows if any(row)]
    workbook.close()
    canonical = json.dumps(content, ensure_ascii=False, sort_keys=True)
    return hashlib.md5(canonical.encode("utf-8")).hexdigest()


def read_versions(path: Path = VERSIONS_FILE) -> dict[str, dict[str, str]]:
    """The recorded ``{form_id: {"version": ..., "content_md5": ...}}``."""
    if not path.exists():
        return {}
    return json.loads(path.read_text(encoding="utf-8"))


def version_problems(
    forms: list[BuiltForm], recorded: dict[str, dict[str, str]]
) -> tuple[list[str], dict[str, dict[str, str]]]:
    """Compare built forms with versions.json.

    Returns the problems (content edited without a new version, a version that went
    backwards) and the updated record to write when there are none.
    """
    problems: list[str] = []
    updated: dict[str, dict[str, str]] = {}
    for form in forms:
        digest = content_digest(form.source)
        entry = {"version": form.version, "content_md5": digest}
        previous = recorded.get(form.form_id)
        updated[form.form_id] = entry
        if previous is None or previous == entry:
            continue
        if previous["version"] == form.version:
            problems.append(
                f"{form.source.name}: content changed but version is still {form.version}; "
                "set a new version in the settings sheet (e.g. today's date + 2 digits: 2026120101)"
            )
        elif int(form.version) < int(previous["version"]):
            problems.append(
                f"{form.source.name}: version {form.version} is older than the recorded "
                f"{previous['version']}; versions must increase"
            )
    return problems, updated


def write_versions(record: dict[str, dict[str, str]], path: Path = VERSIONS_FILE) -> None:
    text = json.dumps(dict(sorted(record.items())), ensure_ascii=False, indent=2) + "\n"
    path.write_text(text, encoding="utf-8")


def write_build(forms: list[BuiltForm], build_dir: Path = BUILD_DIR) -> list[Path]:
    """Write ``<form_id>.xml`` for each form; return the paths."""
    build_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for form in forms:
        path = build_dir / f"{form.form_id}.xml"
        path.write_text(form.xml, encoding="utf-8")
        paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m forms.build", description=__doc__.split("\n")[0]
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="write nothing; fail if versions or dictionary are stale",
    )
    args = parser.parse_args(argv)

    # Imported here: the dictionary module imports this one.
    from forms import dictionary

    try:
        forms = build_all()
    except FormBuildError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    ids = sorted(f.form_id for f in forms)
    if ids != sorted(FORM_IDS):
        print(f"error: expected forms {sorted(FORM_IDS)}, found {ids}", file=sys.stderr)
        return 1

    recorded = read_versions()
    problems, updated = version_problems(forms, recorded)
    for problem in problems:
        print(f"error: {problem}", file=sys.stderr)
    if problems:
        return 1

    fields = dictionary.fields_from_forms(forms)
    if args.check:
        stale = []
        if updated != recorded:
            stale.append("forms/versions.json")
        if not dictionary.is_current(fields):
            stale.append("the data dictionary in docs/forms/")
        if stale:
            print(
                f"error: {' and '.join(stale)} out of date: run `make forms` and commit",
                file=sys.stderr,
            )
            return 1
        print(f"ok: {len(forms)} forms build without warnings; versions and dictionary current")
        return 0

    if updated != recorded:
        write_versions(updated)
    for path in write_build(forms):
        print(f"built {path.relative_to(FORMS_DIR.parent)}")
    for path in dictionary.write(fields):
        print(f"wrote {path.relative_to(FORMS_DIR.parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
