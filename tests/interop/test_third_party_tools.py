"""Every exported DICOM file is read by Debian's dcmtk (dsrdump, dcmdump) and dicom3tools (dciodvfy) without error.

Install: ``apt-get install -y dcmtk dicom3tools``. The tests skip, saying so, only where a binary is missing.
"""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pytest
from pydicom import dcmread, dcmwrite

from reporter.interop.export import export
from reporter.interop.export_common import ExportOptions


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.skip(f"{name} is not installed (apt-get install -y dcmtk dicom3tools)")
    return path


def _run(tool: str, path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([_tool(tool), str(path)], capture_output=True, text=True, timeout=60, check=False)


def _errors(result: subprocess.CompletedProcess[str]) -> list[str]:
    """dcmtk marks errors "E:"/"F:"; dciodvfy writes "Error - ..." (and exits 0 either way)."""
    lines = (result.stdout + result.stderr).splitlines()
    return [line for line in lines if line.startswith(("E:", "F:", "Error"))]


@pytest.fixture(scope="module")
def exported(drafted, identified_study, attest, source, tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("exported")
    original = export("dicom-sr", drafted, identified_study, attest(), ExportOptions(source=source))
    files = {
        "sr": original,
        "sr-preliminary": export("dicom-sr", drafted, identified_study, attest("preliminary")),
        "sr-addendum": export(
            "dicom-sr",
            drafted,
            identified_study,
            attest("appended", "LAD 80% on angiography."),
            ExportOptions(source=source, predecessor_sr=original),
        ),
        "sr-deidentified": export(
            "dicom-sr", drafted, identified_study, attest(), ExportOptions(source=source, deidentify=True)
        ),
        "pdf": export("dicom-pdf", drafted, identified_study, attest(), ExportOptions(source=source)),
        "pdf-deidentified": export(
            "dicom-pdf", drafted, identified_study, attest(), ExportOptions(source=source, deidentify=True)
        ),
    }
    paths = {}
    for name, data in files.items():
        paths[name] = folder / f"{name}.dcm"
        paths[name].write_bytes(data)
    return paths


@pytest.mark.parametrize("name", ["sr", "sr-preliminary", "sr-addendum", "sr-deidentified"])
def test_dsrdump_reads_the_sr(exported, name):
    result = _run("dsrdump", exported[name])
    assert result.returncode == 0
    assert _errors(result) == []
    assert result.stdout.startswith("Comprehensive SR Document")
    assert '<contains CONTAINER:(,,"Conclusions")=CONTINUOUS>' in result.stdout


@pytest.mark.parametrize("name", ["pdf", "pdf-deidentified"])
def test_dcmdump_reads_the_encapsulated_pdf(exported, name):
    result = _run("dcmdump", exported[name])
    assert result.returncode == 0
    assert _errors(result) == []
    assert "application/pdf" in result.stdout


@pytest.mark.parametrize("name", ["sr", "sr-preliminary", "sr-addendum", "sr-deidentified", "pdf", "pdf-deidentified"])
def test_dciodvfy_finds_no_error(exported, name):
    result = _run("dciodvfy", exported[name])
    assert _errors(result) == []
    assert ("ComprehensiveSR" if name.startswith("sr") else "EncapsulatedPDF") in result.stdout + result.stderr


def test_dciodvfy_does_find_an_error_when_there_is_one(exported, tmp_path):
    """The check above can fail: the same SR without its mandatory Completion Flag is an error."""
    ds = dcmread(exported["sr"])
    del ds.CompletionFlag
    broken = tmp_path / "broken.dcm"
    buffer = io.BytesIO()
    dcmwrite(buffer, ds, enforce_file_format=True)
    broken.write_bytes(buffer.getvalue())
    assert any("<CompletionFlag>" in line for line in _errors(_run("dciodvfy", broken)))
