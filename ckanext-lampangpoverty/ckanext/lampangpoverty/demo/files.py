"""The files of the demo resources, made when seeding from the demo area figures
(indicators.figures) and the record's own metadata, so that every demo resource is a real
file the portal serves and previews: CSV (UTF-8 with BOM, Thai headers), XLSX, JSON, GeoJSON
(the areas' boundaries with their figures) and a one-page PDF in Thai. Aggregates by area
only: no household or person appears in any of them."""
from __future__ import annotations

import csv
import functools
import io
import json
from pathlib import Path
from typing import Any

from fpdf import FPDF
from openpyxl import Workbook
from shapely.geometry import mapping
from werkzeug.datastructures import FileStorage

from ..catalogue import areas, spatial
from ..targeting import indicators as catalogue
from ..targeting.figures import children
from . import indicators

# Debian's fonts-thai-tlwg (bin/stack's APT_PACKAGES, the Docker image): a Thai font is
# needed to write Thai into a PDF.
THAI_FONT = Path("/usr/share/fonts/truetype/tlwg/Garuda.ttf")
THAI_FONT_BOLD = Path("/usr/share/fonts/truetype/tlwg/Garuda-Bold.ttf")
DEMO_NOTE = "ข้อมูลสมมติเพื่อการสาธิต ไม่ใช่ข้อมูลจริง / Invented for demonstration, not real data"
BASE_COLUMNS = ("households_surveyed", "target_poor_households", "target_poor_persons",
                "average_income")
CONTENT_TYPES = {"CSV": "text/csv", "XLSX": "application/vnd.openxmlformats-officedocument."
                 "spreadsheetml.sheet", "PDF": "application/pdf", "JSON": "application/json",
                 "GeoJSON": "application/geo+json"}
PDF_ROWS = 12


def _areas_of(dataset: dict[str, Any]) -> list[str]:
    """The record's areas; a single province or amphoe is shown by its parts."""
    codes = [c for c in dataset.get("area_codes") or [areas.PROVINCE_CODE]
             if c in areas.areas()]
    if len(codes) == 1 and children(codes[0]):
        codes += children(codes[0])
    return codes or [areas.PROVINCE_CODE]


def _year(dataset: dict[str, Any]) -> int:
    for key in ("last_year_of_data", "fiscal_year"):
        try:
            year = int(dataset.get(key) or 0)
        except (TypeError, ValueError):
            continue
        if year in indicators.YEARS:
            return year
    return indicators.YEARS[-1]


def _columns(dataset: dict[str, Any]) -> list[str]:
    dims = [catalogue.dimension_indicator(d) for d in dataset.get("tpmap_dimensions") or []]
    return [*BASE_COLUMNS, *dims]


@functools.cache
def _figures() -> dict[tuple[str, int], dict[str, float]]:
    return indicators.figures()


def table(dataset: dict[str, Any]) -> tuple[list[str], list[list[Any]]]:
    """Thai header and rows: one row per area of the record, for the record's year."""
    specs = catalogue.indicators()
    columns = _columns(dataset)
    year = _year(dataset)
    header = ["รหัสพื้นที่", "พื้นที่", "ปี (พ.ศ.)", *(specs[c].text("th") for c in columns)]
    rows = []
    for code in _areas_of(dataset):
        values = _figures()[(code, year)]
        rows.append([code, areas.label(code, "th"), year, *(int(values[c]) for c in columns)])
    return header, rows


def _csv(dataset: dict[str, Any]) -> bytes:
    header, rows = table(dataset)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    # BOM: Excel in Thai locales reads UTF-8 Thai text right only with it
    return out.getvalue().encode("utf-8-sig")


def _xlsx(dataset: dict[str, Any]) -> bytes:
    header, rows = table(dataset)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "ข้อมูล"
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    about = book.create_sheet("คำอธิบาย")
    for line in (dataset["title"], DEMO_NOTE, dataset.get("data_source") or ""):
        about.append([line])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _records(dataset: dict[str, Any]) -> list[dict[str, Any]]:
    header, rows = table(dataset)
    return [dict(zip(header, row, strict=True)) for row in rows]


def _json(dataset: dict[str, Any]) -> bytes:
    body = {"title": dataset["title"], "note": DEMO_NOTE, "records": _records(dataset)}
    return json.dumps(body, ensure_ascii=False, indent=1).encode("utf-8")


def _geojson(dataset: dict[str, Any]) -> bytes:
    polygons = spatial.polygons()
    features = []
    for record in _records(dataset):
        shape = polygons.get(record["รหัสพื้นที่"])
        if shape is None:
            continue
        features.append({"type": "Feature", "properties": record,
                         "geometry": mapping(shape.simplify(spatial.SIMPLIFY))})
    body = {"type": "FeatureCollection", "name": dataset["title"], "note": DEMO_NOTE,
            "features": features}
    return json.dumps(body, ensure_ascii=False).encode("utf-8")


def _pdf(dataset: dict[str, Any], resource: dict[str, Any]) -> bytes:
    pdf = FPDF()
    pdf.set_title(resource["name"])
    pdf.add_font("Garuda", "", str(THAI_FONT))
    pdf.add_font("Garuda", "B", str(THAI_FONT_BOLD))
    pdf.add_page()
    pdf.set_font("Garuda", "B", 15)
    pdf.multi_cell(0, 8, dataset["title"], new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Garuda", "", 12)
    pdf.multi_cell(0, 7, resource["name"], new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(160, 0, 0)
    pdf.multi_cell(0, 7, DEMO_NOTE, new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0, 0, 0)
    pdf.set_font("Garuda", "", 10)
    for key in ("notes", "eligibility", "how_to_apply", "methodology"):
        if dataset.get(key):
            pdf.ln(2)
            pdf.multi_cell(0, 6, " ".join(str(dataset[key]).split()), new_x="LMARGIN",
                           new_y="NEXT")
    if not _public(dataset):
        return bytes(pdf.output())  # a restricted record's figures stay behind the gate
    header, rows = table(dataset)
    pdf.ln(3)
    pdf.set_font("Garuda", "", 8)
    # plain cells, not fpdf's table(): a table costs seconds per file when seeding
    width = (pdf.w - pdf.l_margin - pdf.r_margin) / len(header)
    for row in [header, *rows[:PDF_ROWS]]:
        for value in row:
            pdf.cell(width, 6, _short(value, width, pdf), border=1)
        pdf.ln()
    return bytes(pdf.output())


def _short(value: Any, width: float, pdf: FPDF) -> str:
    text = f"{value:,}" if isinstance(value, int) and value > 9999 else str(value)
    while len(text) > 1 and pdf.get_string_width(text) > width - 2:
        text = text[:-2] + "…"
    return text


def content(dataset: dict[str, Any], resource: dict[str, Any]) -> bytes:
    """The file of one demo resource, by its format."""
    fmt = resource["format"]
    if fmt == "CSV":
        return _csv(dataset)
    if fmt == "XLSX":
        return _xlsx(dataset)
    if fmt == "JSON":
        return _json(dataset)
    if fmt == "GeoJSON":
        return _geojson(dataset)
    if fmt == "PDF":
        return _pdf(dataset, resource)
    raise ValueError(f"demo resource {resource['name']!r}: no demo file for format {fmt!r}")


def _public(dataset: dict[str, Any]) -> bool:
    return (dataset.get("access_level") or "public") == "public"


def with_uploads(dataset: dict[str, Any]) -> list[dict[str, Any]]:
    """The record's resources as uploads of their demo files (``url`` is the file name).

    A file uploaded as a resource is public to anyone who sees the record, whatever its
    access level: the data of a registered or licensed record is reached only through the
    disclosure gate's releases, so such a record publishes its documents (PDF) here and
    none of its tables."""
    public = _public(dataset)
    out = []
    for resource in dataset.get("resources") or []:
        if not public and resource["format"] != "PDF":
            continue
        filename = Path(resource["url"]).name
        mimetype = CONTENT_TYPES[resource["format"]]
        upload = FileStorage(io.BytesIO(content(dataset, resource)), filename,
                             content_type=mimetype)
        out.append({**resource, "url": filename, "upload": upload, "mimetype": mimetype})
    return out
