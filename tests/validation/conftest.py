"""Fixtures for the site validation: the paired test material of ``tests/validation/data`` (see its README)."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from reporter.inputs import parse_study
from reporter.service.validation import PairInput

DATA = Path(__file__).parent / "data"


def _pair(name: str, study: str | None = None) -> PairInput:
    study_path = DATA / "studies" / f"{study or name}.json"
    return PairInput(
        name=name,
        study=parse_study(study_path.read_bytes(), what=study_path.name),
        text=(DATA / "reports" / f"{name}.txt").read_text(encoding="utf-8"),
    )


@pytest.fixture(scope="session")
def data_dir() -> Path:
    return DATA


@pytest.fixture(scope="session")
def pairs() -> list[PairInput]:
    """The ten pairs: eight MTSamples reports with hand-made studies, two deliberately disagreeing."""
    return [_pair(p.stem) for p in sorted((DATA / "studies").glob("*.json"))]


@pytest.fixture(scope="session")
def validation(pairs: list[PairInput]) -> dict[str, Any]:
    from reporter.service.validation import validate_pairs

    return validate_pairs(pairs)


@pytest.fixture
def borderline_pair() -> PairInput:
    """The Persantine report (it states "preserved EF of 52%") paired with a study whose LVEF is 50%."""
    pair = _pair("mts_1187_persantine")
    assert pair.study is not None and pair.study.function is not None
    function = pair.study.function.model_copy(update={"stress_lvef_percent": 50.0})
    return PairInput(name="borderline_lvef", study=pair.study.model_copy(update={"function": function}), text=pair.text)


@pytest.fixture
def labelled() -> list[tuple[str, str, dict[str, Any]]]:
    folder = DATA / "labelled"
    return [
        (
            n,
            (folder / f"{n}.txt").read_text(encoding="utf-8"),
            json.loads((folder / f"{n}.json").read_text(encoding="utf-8")),
        )
        for n in ("dev01", "dev02")
    ]


@pytest.fixture
def site_folders(tmp_path: Path) -> tuple[Path, Path]:
    """A copy of the pairs plus a study without a report, a report without a study and an invalid study."""
    studies, reports = tmp_path / "studies", tmp_path / "reports"
    shutil.copytree(DATA / "studies", studies)
    shutil.copytree(DATA / "reports", reports)
    shutil.copy(DATA / "studies" / "mts_1605_adenosine.json", studies / "orphan_study.json")
    shutil.copy(DATA / "reports" / "mts_1605_adenosine.txt", reports / "orphan_report.txt")
    (studies / "broken.json").write_text('{"patient": {"age_years": 300, "sex": "male"}}', encoding="utf-8")
    shutil.copy(DATA / "reports" / "mts_1605_adenosine.txt", reports / "broken.txt")
    return studies, reports


@pytest.fixture
def service_db(db_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The service's database (SQLite and PostgreSQL) as the CLI finds it: NCREPORT_DATABASE_URL."""
    from reporter.settings import get_settings

    monkeypatch.setenv("NCREPORT_DATABASE_URL", db_url)
    get_settings.cache_clear()
    yield db_url
    get_settings.cache_clear()


SUPPLEMENT = {
    "clinical": {"indication": "Exertional chest pain."},
    "stress": {"type": "pharmacologic", "agent": "regadenoson", "agent_dose": "0.4 mg IV"},
}
DICOM_REPORT = (
    "MYOCARDIAL PERFUSION SPECT, REST/REGADENOSON STRESS.\n\nIMPRESSION:\n1. Small reversible perfusion "
    "defect of moderate severity in the LAD territory, consistent with ischemia.\n2. Normal left "
    "ventricular systolic function, LVEF 55%.\n"
)


@pytest.fixture
def dicom_site(tmp_path: Path, measurement_sr: Any, spect_groups: Any, nm_image: Any) -> tuple[Path, Path]:
    """Studies as DICOM, each with the signed report written for it (DICOM_REPORT):

    lad_dicom/   the SR of a reversible LAD defect and the rest and stress NM images, with lad_dicom.json (SUPPLEMENT)
    lad_sr.dcm   the SR alone, with lad_sr.json giving the procedure too (an SR holds no acquisition)
    truncated.dcm  an NM image cut short: unread, listed with its reason
    conflict/    the NM images, with a conflict.json that calls the study PET
    empty/       a folder without a .dcm file, with empty.json (SUPPLEMENT): not a Study JSON for that
    """
    studies, reports = tmp_path / "studies", tmp_path / "reports"
    studies.mkdir()
    reports.mkdir()
    for folder in ("lad_dicom", "conflict"):
        (studies / folder).mkdir()
        for made in (nm_image("rest", mbq="370", start="20260502081500"), nm_image("stress")):
            made.rename(studies / folder / made.name)
    measurement_sr(spect_groups).rename(studies / "lad_dicom" / "results_sr.dcm")
    measurement_sr(spect_groups).rename(studies / "lad_sr.dcm")
    procedure = {
        "modality": "SPECT",
        "protocol": "rest-stress",
        "tracers": [
            {"tracer": "Tc-99m tetrofosmin", "phase": "rest", "activity": {"value": 370, "unit": "MBq"}},
            {"tracer": "Tc-99m tetrofosmin", "phase": "stress", "activity": {"value": 1110, "unit": "MBq"}},
        ],
    }
    supplements = {
        "lad_dicom": SUPPLEMENT,
        "lad_sr": {**SUPPLEMENT, "procedure": procedure},
        "conflict": {**SUPPLEMENT, "procedure": {"modality": "PET"}},
    }
    for name, supplement in supplements.items():
        (studies / f"{name}.json").write_text(json.dumps(supplement), encoding="utf-8")
    (studies / "empty").mkdir()
    (studies / "empty.json").write_text(json.dumps(SUPPLEMENT), encoding="utf-8")
    whole = nm_image("stress").read_bytes()
    (studies / "truncated.dcm").write_bytes(whole[: len(whole) - 100])
    for name in ("lad_dicom", "lad_sr", "truncated", "conflict", "empty"):
        (reports / f"{name}.txt").write_text(DICOM_REPORT, encoding="utf-8")
    return studies, reports
