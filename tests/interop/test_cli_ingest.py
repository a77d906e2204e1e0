"""``ncreport ingest``: JSON out, warnings on stderr, exit 2 naming the file on bad input."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

SAMPLES = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "raw" / "dicom_samples"


def test_ingest_writes_the_study_json_and_lists_warnings(ingest_app, measurement_sr, spect_groups, nm_image, tmp_path):
    out = tmp_path / "study.json"
    files = [str(measurement_sr(spect_groups)), str(nm_image("stress"))]
    result = CliRunner().invoke(ingest_app, ["ingest", *files, "-o", str(out)])
    assert result.exit_code == 0, result.output
    study = json.loads(out.read_text(encoding="utf-8"))
    assert study["function"]["stress_lvef_percent"] == 55.0
    assert study["procedure"]["tracers"] == [
        {"tracer": "Tc-99m tetrofosmin", "phase": "stress", "activity": {"value": 1110.0, "unit": "MBq"}}
    ]
    assert "warning: results_sr.dcm: measurement code not mapped to a Study field: Stroke Volume (90096001, SCT)" in (
        result.stderr
    )
    assert result.stderr.splitlines()[-1] == f"wrote {out} from 2 file(s)"


def test_ingest_prints_to_stdout_without_output(ingest_app, measurement_sr):
    sr = measurement_sr({"Function": [(("LN", "10230-1", "LVEF"), 61, "%", ("SCT", "128975004", "Rest"), None)]})
    result = CliRunner().invoke(ingest_app, ["ingest", str(sr)])
    assert result.exit_code == 0
    assert json.loads(result.stdout)["function"] == {"rest_lvef_percent": 61.0}


def test_a_malformed_file_exits_2_naming_it_without_a_traceback(ingest_app, measurement_sr):
    good = measurement_sr({"Function": [(("LN", "10230-1", "LVEF"), 61, "%", ("SCT", "128975004", "Rest"), None)]})
    result = CliRunner().invoke(ingest_app, ["ingest", str(good), str(SAMPLES / "pydicom" / "JPEG-lossy.dcm")])
    assert result.exit_code == 2
    assert result.stderr.startswith("error: [E102] JPEG-lossy.dcm: the pixel data cannot be decoded")
    assert "Traceback" not in result.output
