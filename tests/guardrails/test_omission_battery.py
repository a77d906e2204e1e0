"""How the omission checks (G501-G511) decide that a key finding IS mentioned: the battery of correct impressions
in writers' own wordings and of single deletions (bench/omission_battery.py), and each mechanism on wordings
written here, not the battery's nor the blind sets'.

``omitted``: the sorted G5xx codes of an impression (scope "impression") at error severity.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from bench_modules import bench_module

from guardrails import verify
from guardrails.claims import read_claims
from reporter.domain.study import Study

ROOT = Path(__file__).parents[2]
# large severe fixed inferior/inferoseptal (RCA) defect, SDS 1; LVEF 34%, post-stress ESV 120 mL; high risk
INFERIOR_SCAR = "dev4_spect_adenosine_inferior_scar_low_ef"
# new moderate reversible anterior/anteroseptal (LAD) defect beside a stable fixed inferior one; LVEF 44%; high risk
NEW_LAD_OLD_INFERIOR = "dev13_spect_dobutamine_atropine_inferior_scar_stable_new_lad_ischemia_prior_report"
# large partially reversible LAD defect; LVEF 31% (34% at rest), lower than in May 2024; ESV 131 mL; high risk
LAD_SCAR_EF_DOWN = "dev5_spect_adenosine_lad_scar_periinfarct_prior"
# large reversible inferior (RCA) defect, 14.7% of the LV; ischemic exercise ECG; LVEF 56%; high risk
RCA_ISCHEMIA_EXERCISE = "dev4_spect_dual_isotope_exercise_rca_ischemia"


def omitted(text: str, study: Study) -> list[str]:
    return sorted(
        {f.code.value for f in verify(text, study, scope="impression")
         if f.code.value.startswith("G5") and f.severity.value == "error"}
    )  # fmt: skip


def _battery() -> object:
    return bench_module("omission_battery")


def test_the_battery_counts() -> None:
    """Every correct impression free of omission errors; every deletion raises the omission code it must."""
    battery = _battery()
    clean, passed, by_kind = battery.run(battery.BATTERY, verbose=False)  # type: ignore[attr-defined]
    assert (clean, passed) == (55, 55)
    hits = [h for kind in by_kind.values() for h in kind]
    assert (len(hits), sum(hits)) == (45, 45)


def test_a_scar_named_by_its_kind_says_perfusion_is_abnormal(study_of: Callable[[str], Study]) -> None:
    study = study_of(INFERIOR_SCAR)
    said = "Nonviable inferoseptal and inferior myocardium, no reversibility. LVEF 34%, LVESV 120 mL. High risk."
    assert omitted(said, study) == []
    # the scar deleted: nothing says the perfusion is abnormal, nor the scar
    assert omitted("No reversible defect. LVEF 34%, LVESV 120 mL. High risk.", study) == ["G502", "G505"]


def test_a_lay_heart_attack_with_its_wall_is_the_scar(study_of: Callable[[str], Study]) -> None:
    study = study_of(INFERIOR_SCAR)
    said = "The lower wall shows old heart-attack damage in the inferior segments. EF 34%, ESV 120 mL. High risk."
    assert omitted(said, study) == []
    assert any(m.label == "INFARCTION" for m in read_claims(said).mentions)


def test_inducible_before_the_place_of_a_defect_is_its_reversibility(study_of: Callable[[str], Study]) -> None:
    claims = read_claims("Inducible basal anterior/anteroseptal perfusion defect.")
    assert [(m.label, m.value) for m in claims.mentions if m.label == "REVERSIBILITY"] == [
        ("REVERSIBILITY", "reversible")
    ]
    # a finding word between them ends the reach: "inducible" grades its own noun, not the later defect
    claims = read_claims("Inducible ischemia is absent; fixed inferior defect.")
    assert not any(m.label == "REVERSIBILITY" and m.value == "reversible" for m in claims.mentions)
    study = study_of(NEW_LAD_OLD_INFERIOR)
    said = "Inducible anterior and anteroseptal perfusion defect, new since 2023 (SDS 5); stable inferior infarct. "
    assert omitted(said + "EF 44%, ESV 82 mL. High risk.", study) == []


def test_an_ecg_positive_for_ischemia_is_the_ecg_s(study_of: Callable[[str], Study]) -> None:
    claims = read_claims("Stress ECG positive for ischaemia.")
    assert [(s.concept, s.value) for s in claims.statements if s.concept in ("ecg", "ischemia")] == [
        ("ecg", "ischemic")
    ]
    # with the perfusion finding deleted, the ECG's ischemia does not say the perfusion is abnormal
    study = study_of(RCA_ISCHEMIA_EXERCISE)
    assert "G505" in omitted("Exercise ECG +ve for ischemia. LVEF 56%. High risk.", study)


def test_a_value_after_a_plain_grade_word_is_its_label_s() -> None:
    numbers = read_claims("His pumping function remains poor at 34%; the end-systolic volume is enlarged at 118 mL.")
    assert [(n.quantity, n.value) for n in numbers.numbers] == [("lvef", 34.0), ("esv", 118.0)]


def test_this_study_s_lvef_value_after_its_label_says_it(study_of: Callable[[str], Study]) -> None:
    study = study_of(LAD_SCAR_EF_DOWN)
    head = "Large anterior and apical LAD scar with mild peri-infarct ischaemia (SDS 5). ESV 131 mL. High risk. "
    assert omitted(head + "Pump function has declined since March 2024 and is currently 31%.", study) == []
    # a percentage that is not this study's LVEF does not say it
    assert omitted(head + "Pump function has declined since March 2024; 7% of the LV is ischaemic.", study) == ["G504"]


def test_lv_function_graded_without_a_verb(study_of: Callable[[str], Study]) -> None:
    claims = read_claims("LV function depressed, with inferior akinesis.")
    assert [(s.concept, s.value) for s in claims.statements if s.concept == "lvef_category"] == [
        ("lvef_category", "reduced")
    ]
    study = study_of(INFERIOR_SCAR)
    assert omitted("Fixed inferior infarct. LV function depressed; ESV 120 mL. High risk.", study) == []
    assert omitted("Fixed inferior infarct. LV function normal; ESV 120 mL. High risk.", study) == ["G504"]
