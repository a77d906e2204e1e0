"""Fixtures of the guardrail tests: studies, the rule-based report sections, small report texts."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from reporter.domain.finding import Section
from reporter.domain.study import Study
from reporter.report import draft_report


@pytest.fixture
def lad(example: Callable[[str], Study]) -> Study:
    """LAD ischemia: medium, moderate, reversible anterior defect (segments 1, 7, 13); regadenoson; no prior."""
    return example("spect_lad_ischemia")


@pytest.fixture
def normal_exercise(example: Callable[[str], Study]) -> Study:
    return example("spect_normal_exercise")


@pytest.fixture
def followup(example: Callable[[str], Study]) -> Study:
    """New LCx ischemia compared with a normal prior study of 2024-08-27."""
    return example("spect_followup_new_lateral_ischemia")


@pytest.fixture
def multivessel(example: Callable[[str], Study]) -> Study:
    """LAD and LCx defects with nine high-risk features (ischemia 33.8% of the LV, TID, LVEF 31%...)."""
    return example("spect_multivessel_high_risk")


PHYSICIAN_STUDIES = Path(__file__).parents[2] / "bench" / "data" / "physician_studies"


@pytest.fixture
def study_of(example: Callable[[str], Study]) -> Callable[[str], Study]:
    """A study by name: an example, or one of the benchmark's physician-set studies (PET N-13, CAC 0,
    follow-up, score-1 equivocal, dobutamine, poor quality, LBBB, Tl-201 three-vessel)."""

    def load(stem: str) -> Study:
        path = PHYSICIAN_STUDIES / f"{stem}.json"
        if path.exists():
            return Study.model_validate(json.loads(path.read_text(encoding="utf-8")))
        return example(stem)

    return load


@pytest.fixture
def sections_of() -> Callable[[Study], list[tuple[Section, str]]]:
    """The rule-based report of a study as (section, sentences joined by newlines)."""

    def make(study: Study) -> list[tuple[Section, str]]:
        report = draft_report(study)
        return [(s.key, "\n".join(x.text for x in s.sentences)) for s in report.sections]

    return make


@pytest.fixture
def small_report() -> str:
    """A short finished report whose impression contradicts its findings and whose title names another agent."""
    return (
        "ADENOSINE MYOCARDIAL PERFUSION STUDY\n\n"
        "INDICATION: Chest pain.\n\n"
        "PROCEDURE: Regadenoson 0.4 mg IV was given. Tc-99m sestamibi 10 mCi at rest and 30 mCi at stress.\n\n"
        "FINDINGS: There is a moderate reversible perfusion defect in the LAD territory involving the anterior "
        "wall. LVEF is 55%.\n\n"
        "IMPRESSION: Normal myocardial perfusion.\n"
    )


@pytest.fixture
def reports_dir(tmp_path: Path, small_report: str) -> Path:
    """Two readable reports and one file that is not UTF-8."""
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "a.txt").write_text(small_report, encoding="utf-8")
    (folder / "b.txt").write_text("IMPRESSION: Normal myocardial perfusion. LVEF 60%.\n", encoding="utf-8")
    (folder / "c.txt").write_bytes(b"IMPRESSION: \xff\xfe normal study.\n")
    return folder
