"""Exports: the annual assessment workbook and the raw data per form, written by
``etl.pipeline`` to temporary files (never built in memory) that the views stream.

Nothing here computes: the ETL does, with the targets from the indicators table.
"""

import datetime as dt
import shutil
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from etl import pipeline
from indicators.services import indicator_targets


@dataclass(frozen=True)
class ExportFile:
    file: BinaryIO  # open at offset 0; its name is already unlinked, closing frees it
    filename: str
    content_type: str


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def annual_workbook_export(*, year: int, as_of: dt.date, generated_at: dt.datetime) -> ExportFile:
    """The annual assessment workbook of ``year`` (汇总, one sheet per indicator, ledgers)."""
    out = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 -- handed to the response
    try:
        pipeline.export(
            year=year,
            out=out,
            as_of=as_of,
            generated_at=generated_at,
            targets=indicator_targets(),
        )
        out.seek(0)
    except BaseException:
        out.close()
        raise
    return ExportFile(out, f"邹区镇{year}年度考核工作簿.xlsx", XLSX)


def raw_data_export(*, form_ids: list[str], fmt: str, lang: str) -> ExportFile:
    """Raw answers of the submissions that count: ``xlsx`` (one form: one workbook, repeats
    on their own sheets), ``csv`` (a zip of one CSV per table of each form) or ``geojson``
    (every located answer of the forms)."""
    folder = Path(tempfile.mkdtemp(prefix="zouqu-export-"))
    try:
        stem = form_ids[0] if len(form_ids) == 1 else "forms"
        if fmt == "geojson":
            out = folder / f"{stem}.geojson"
            pipeline.raw_export(form_ids=form_ids, lang=lang, fmt=fmt, out=out)
            return ExportFile(out.open("rb"), out.name, "application/geo+json")
        paths = pipeline.raw_export(form_ids=form_ids, lang=lang, fmt=fmt, out=folder / "out")
        if fmt == "xlsx" and len(paths) == 1:
            return ExportFile(paths[0].open("rb"), f"{stem}_{lang}.xlsx", XLSX)
        archive = tempfile.TemporaryFile(suffix=".zip")  # noqa: SIM115 -- handed to the response
        with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zipped:
            for path in paths:
                zipped.write(path, path.relative_to(folder / "out").as_posix())
        archive.seek(0)
        return ExportFile(archive, f"{stem}_{lang}_{fmt}.zip", "application/zip")
    finally:
        # Open files survive the removal of their directory entry (POSIX).
        shutil.rmtree(folder, ignore_errors=True)
