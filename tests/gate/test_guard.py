"""The resource-upload guard against real uploads through the HTTP API: files are scanned by
their content whatever they are called (ragged and mixed-encoding text, spreadsheets, JSON,
GeoJSON, PDF, archives inside archives); a file it cannot read is refused; a file over the
in-request budget is handed to the disclosure gate or refused; links to our own uploads are
scanned too. Nothing holding a national ID becomes a public resource."""
from __future__ import annotations

import gzip
import io
import json
import tarfile
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from ckan.lib import jobs, uploader
from ckan.tests import factories
from ckan.tests.helpers import call_action

from ckanext.lampangpoverty.disclosure.detect import thai_id_valid
from ckanext.lampangpoverty.gate import submission as gate
from ckanext.lampangpoverty.model import Microdata


def thai_id(first12: str) -> str:
    return next(first12 + d for d in "0123456789" if thai_id_valid(first12 + d))


ID = thai_id("110170023070")        # a valid national ID
ID0 = thai_id("052100001234")       # one beginning with 0 (stateless, highland residents)


def zipped(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def tar_gz(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def xlsx(sheets: dict[str, pd.DataFrame]) -> bytes:
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for name, frame in sheets.items():
            frame.to_excel(writer, sheet_name=name, index=False)
    return buffer.getvalue()


def ods(rows: list[list[str]]) -> bytes:
    """A minimal OpenDocument spreadsheet, as LibreOffice writes its parts."""
    cells = "".join(
        "<table:table-row>" + "".join(
            f'<table:table-cell office:value-type="string"><text:p>{c}</text:p>'
            "</table:table-cell>" for c in row) + "</table:table-row>" for row in rows)
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        f'<office:body><office:spreadsheet><table:table table:name="Sheet1">{cells}'
        "</table:table></office:spreadsheet></office:body></office:document-content>")
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
        'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
        'manifest:version="1.2"><manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
        archive.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def pdf(text: str) -> bytes:
    """A one-page PDF showing ``text`` (ASCII) in Helvetica."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
               b"/Resources << /Font << /F1 5 0 R >> >> >>",
               b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out, offsets = io.BytesIO(), []
    out.write(b"%PDF-1.4\n")
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n"
              % (len(objects) + 1, xref))
    return out.getvalue()


GEOJSON = json.dumps({"type": "FeatureCollection", "features": [
    {"type": "Feature", "properties": {"hh": "A1"},
     "geometry": {"type": "Point", "coordinates": [99.512345, 18.291234]}}]}).encode()
AREAS = json.dumps({"type": "FeatureCollection", "features": [
    {"type": "Feature", "properties": {"amphoe": "5208", "poor": 35},
     "geometry": {"type": "Polygon", "coordinates": [[[99.123456, 17.612345],
                                                      [99.323456, 17.612345],
                                                      [99.323456, 17.812345],
                                                      [99.123456, 17.612345]]]}}]}).encode()

HOLDING_IDENTIFIERS = {
    # the two findings of the review: a ragged row, and UTF-8 and TIS-620 lines mixed
    "ragged.csv": (f"name,pid\nก,{ID}\nข\nค,{ID0},extra\n".encode(), "column pid"),
    "mixed.csv": ("อำเภอ,เลขบัตร\n".encode() + f"เถิน,{ID}\n".encode("cp874"), "row 2"),
    # never scanned before: by content, whatever the name
    "table.dat": (f"a|b\n1|{ID}\n".encode(), "column b"),
    "cr-only.csv": (f"a,b\r1,2\r3,{ID0}\r".encode(), "row 3"),
    "unicode.txt": (f"อายุ\tบัตร\n45\t{ID}\n".encode("utf-16"), "column บัตร"),
    "rows.json": (json.dumps({"data": [{"pid": ID}]}).encode(), "column pid"),
    "homes.geojson": (GEOJSON, "household coordinates"),
    "rows.csv.gz": (gzip.compress(f"a,b\n1,{ID}\n".encode()), "rows.csv"),
    "book.xlsx": (xlsx({"cover": pd.DataFrame({"x": ["สรุป"]}),
                        "people": pd.DataFrame({"pid": [ID]})}), "book.xlsx (people)"),
    "sheet.bin": (ods([["age", "pid"], ["45", ID]]), "column pid"),
    "report.pdf": (pdf(f"Household head ID {ID}"), "report.pdf, row 1"),
    "bundle.zip": (zipped({"readme.txt": b"see data",
                           "data/inner.tar.gz": tar_gz(
                               {"t/rows.tsv": f"a\tb\n1\t{ID}\n".encode()})}),
                   "bundle.zip/data/inner.tar/t/rows.tsv"),
}
CLEAN = {
    "aggregate.csv": "ตำบล,ครัวเรือนยากจน\n520801,35\n520802,12\n".encode("cp874"),
    "areas.geojson": AREAS,
    "photo.png": b"\x89PNG\r\n\x1a\n" + b"\x00" * 64,
    "report.pdf": pdf("Poverty in Thoen fell by 3 percent"),
    "aggregate.zip": zipped({"a.csv": "อำเภอ,จำนวน\n5208,35\n".encode()}),
}


@pytest.fixture
def editor(clean_db, organization):
    user = factories.User()
    call_action("organization_member_create", id=organization["id"], username=user["name"],
                role="editor")
    return user


@pytest.fixture
def dataset(make_record):
    return make_record(name="public-poverty", private=False)


@pytest.fixture(autouse=True)
def private_storage(tmp_path, monkeypatch, ckan_config):
    monkeypatch.setitem(ckan_config, "ckanext.lampangpoverty.microdata.storage_path",
                        str(tmp_path / "raw"))


def post_resource(app, user, dataset, content: bytes | None, name: str, **fields):
    token = factories.APIToken(user=user["name"])["token"]
    data = {"package_id": dataset["id"], "name": name, **fields}
    if content is not None:
        data["upload"] = (io.BytesIO(content), name)
    return app.post("/en/api/3/action/resource_create", headers={"Authorization": token},
                    data=data)


@pytest.mark.usefixtures("clean_db", "clean_index")
class TestScannedByContent:
    @pytest.mark.parametrize("name", list(HOLDING_IDENTIFIERS))
    def test_a_file_holding_identifiers_is_refused_with_where_they_are(self, app, editor,
                                                                       dataset, name):
        content, where = HOLDING_IDENTIFIERS[name]
        res = post_resource(app, editor, dataset, content, name)
        assert res.status_code == 409, res.body
        message = " ".join(res.json["error"]["upload"])
        assert where in message and "disclosure check" in message
        assert ID not in res.body and ID0 not in res.body
        assert call_action("package_show", id=dataset["id"])["resources"] == []

    @pytest.mark.parametrize("name", list(CLEAN))
    def test_a_file_without_identifiers_is_published(self, app, editor, dataset, name):
        res = post_resource(app, editor, dataset, CLEAN[name], name)
        assert res.status_code == 200, res.body

    @pytest.mark.parametrize(("name", "content"), [
        ("data.csv", b"\x00\x01\x02\x03" + bytes(range(256)) * 4),       # a program, say
        ("rows.csv.gz", gzip.compress(b"a,b\n1,2\n")[:-12]),            # cut short
        ("book.xlsx", b"PK\x03\x04" + b"\x00" * 200),                    # a broken workbook
        ("long.csv", b"a,b\n" + b"9" * (2 * 1024 * 1024)),               # a 2 MB line
    ])
    def test_a_file_the_guard_cannot_read_is_refused(self, app, editor, dataset, name,
                                                     content):
        res = post_resource(app, editor, dataset, content, name)
        assert res.status_code == 409, res.body
        message = " ".join(res.json["error"]["upload"])
        assert name.removesuffix(".gz") in message and "could not be checked" in message
        assert call_action("package_show", id=dataset["id"])["resources"] == []

    def test_a_file_added_by_package_update_is_scanned_too(self, app, editor, dataset):
        """Resources can also arrive inside package_update: the guard sits where CKAN
        stores every resource file, not only in resource_create."""
        from werkzeug.datastructures import FileStorage

        from ckan.tests.helpers import call_action as act
        with pytest.raises(Exception) as e:
            act("package_patch", {"user": editor["name"], "ignore_auth": False},
                id=dataset["id"], resources=[{"name": "x", "upload": FileStorage(
                    io.BytesIO(f"a,b\n1,{ID}\n".encode()), "x.dat")}])
        assert "direct identifiers" in str(e.value)


@pytest.mark.usefixtures("clean_db", "clean_index", "clean_queues", "with_test_worker")
class TestOverTheBudget:
    @pytest.fixture(autouse=True)
    def small_budget(self, monkeypatch, ckan_config):
        monkeypatch.setitem(ckan_config, "ckanext.lampangpoverty.guard.inline_bytes", 4096)

    def big_table(self) -> bytes:
        return ("อายุ,เพศ\n" + "45,M\n" * 2000).encode()

    def test_on_a_poverty_dataset_it_is_kept_privately_and_handed_to_the_gate(
            self, app, editor, dataset):
        res = post_resource(app, editor, dataset, self.big_table(), "big.csv")
        assert res.status_code == 409, res.body
        message = " ".join(res.json["error"]["upload"])
        assert "handed to the disclosure check" in message
        assert "/lampangpoverty/microdata/" in message
        assert call_action("package_show", id=dataset["id"])["resources"] == []
        record = Microdata.latest(dataset["id"])
        assert record.status == "proposing"
        stored = Path(record.stored_path)
        assert stored.parent == gate.storage_dir() and stored.stat().st_mode & 0o077 == 0
        jobs.Worker(["default"]).work(burst=True)
        shown = call_action("lampangpoverty_microdata_show", {"user": editor["name"]},
                            microdata_id=record.id)
        assert shown["status"] == "needs_roles" and shown["columns"] == ["อายุ", "เพศ"]

    def test_elsewhere_it_is_refused_and_nothing_kept(self, app, editor, make_record):
        agency = make_record("agency-resource", name="housing-repair")
        res = post_resource(app, editor, agency, self.big_table(), "big.csv")
        assert res.status_code == 409
        assert "Nothing was kept" in " ".join(res.json["error"]["upload"])
        assert list(gate.storage_dir().iterdir()) == []

    def test_a_zip_bomb_stops_at_the_budget(self, app, editor, make_record, monkeypatch,
                                            ckan_config):
        monkeypatch.setitem(ckan_config, "ckanext.lampangpoverty.guard.inline_bytes",
                            1024 * 1024)
        bomb = zipped({"rows.csv": b"a,b\n" + b"0,0\n" * (200 * 1024 * 1024 // 4)})
        assert len(bomb) < 1024 * 1024
        agency = make_record("agency-resource", name="bomb-target")
        res = post_resource(app, editor, agency, bomb, "rows.zip")
        assert res.status_code == 409
        assert "MB once unpacked" in " ".join(res.json["error"]["upload"])


@pytest.mark.usefixtures("clean_db", "clean_index")
def test_a_link_to_a_file_uploaded_here_is_scanned(app, editor, dataset, make_record):
    """A file stored before the guard read it (an old upload) cannot be published again
    by linking to it from another dataset."""
    holder = make_record(name="holder", private=False)
    res = post_resource(app, editor, holder, b"a,b\n1,2\n", "old.dat")
    assert res.status_code == 200, res.body
    old = res.json["result"]
    path = Path(uploader.get_resource_uploader({"id": old["id"]}).get_path(old["id"]))
    path.write_bytes(f"a,b\n1,{ID}\n".encode())       # what an older portal let through
    link = f"http://portal.example/en/dataset/holder/resource/{old['id']}/download/old.dat"
    res = post_resource(app, editor, dataset, None, "linked", url=link)
    assert res.status_code == 409, res.body
    assert "Thai national ID" in " ".join(res.json["error"]["url"])
    outside = post_resource(app, editor, dataset, None, "outside",
                            url="https://data.go.th/dataset/x/resource/y/download/z.csv")
    assert outside.status_code == 200, outside.body
