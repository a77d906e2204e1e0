"""A claim the study cannot decide is unverified, not contradicted (Flag.unverified): a warning in a physician's text,
an error in a model's. A claim the study's recorded facts contradict stays an error whoever wrote it."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from guardrails import verify
from guardrails.flags import Flag, FlagSeverity
from guardrails.unrecorded import unrecorded_label
from reporter.domain.study import Artifact, ArtifactKind, Study
from reporter.domain.vocabulary import Protocol


def _of(flags: list[Flag], code: str) -> list[Flag]:
    return [f for f in flags if f.code.value == code]


def _only(text: str, study: Study, code: str, origin: str = "physician") -> Flag:
    hits = _of(verify(text, study, origin=origin), code)  # type: ignore[arg-type]
    assert len(hits) == 1, hits
    return hits[0]


@pytest.fixture
def without_function(normal_exercise: Study) -> Study:
    """The normal treadmill study with no gated function at all (no wall motion, volumes or TID ratio)."""
    procedure = normal_exercise.procedure.model_copy(update={"gated": False})
    return normal_exercise.model_copy(update={"function": None, "procedure": procedure})


@pytest.fixture
def without_tid(normal_exercise: Study) -> Study:
    assert normal_exercise.function is not None
    return normal_exercise.model_copy(
        update={"function": normal_exercise.function.model_copy(update={"tid_ratio": None})}
    )


@pytest.fixture
def with_rv_note(normal_exercise: Study) -> Callable[[str], Study]:
    def make(note: str) -> Study:
        artifact = Artifact(kind=ArtifactKind.EXTRACARDIAC, note=note)
        perfusion = normal_exercise.perfusion.model_copy(update={"artifacts": (artifact,)})
        return normal_exercise.model_copy(update={"perfusion": perfusion})

    return make


# --- the right ventricle: a Study has no field for it ------------------------------------------------------------


def test_rv_claim_is_a_warning_for_a_physician(normal_exercise: Study) -> None:
    f = _only("Normal LV perfusion. The right ventricle looks hypertrophied.", normal_exercise, "G408")
    assert f.severity is FlagSeverity.WARNING
    assert f.unverified is True
    assert "does not record it" in f.message and "unverified" in f.message


def test_rv_claim_is_an_error_for_a_model(normal_exercise: Study) -> None:
    f = _only("Normal LV perfusion. The right ventricle looks hypertrophied.", normal_exercise, "G408", "model")
    assert f.severity is FlagSeverity.ERROR
    assert f.unverified is True


def test_rv_named_in_a_note_is_supported(with_rv_note: Callable[[str], Study]) -> None:
    study = with_rv_note("increased right ventricular tracer uptake")
    assert _of(verify("The RV is dilated with increased RV uptake.", study), "G408") == []


def test_rv_denied_where_a_note_records_it_stays_an_error(with_rv_note: Callable[[str], Study]) -> None:
    study = with_rv_note("increased right ventricular tracer uptake")
    f = _only("There is no increased RV uptake.", study, "G601")
    assert f.severity is FlagSeverity.ERROR


@pytest.mark.parametrize(
    "text", ["The right ventricle is dilated.", "The right ventricle appears mildly enlarged on the rest images."]
)
def test_a_dilated_right_ventricle_is_no_lv_size_claim(normal_exercise: Study, text: str) -> None:
    flags = verify(text, normal_exercise)
    assert [(f.code.value, f.severity.value) for f in flags] == [("G408", "warning")]


def test_a_dilated_ventricle_without_a_side_is_still_the_lv(normal_exercise: Study) -> None:
    # the normal study records normal volumes: "the ventricle is dilated" is the LV's size, contradicted
    assert [f.severity.value for f in _of(verify("The ventricle is dilated.", normal_exercise), "G409")] == ["error"]


# --- numbers of a quantity the study lacks -------------------------------------------------------------------------


_PRESSURE = "a pulmonary artery or right-ventricular systolic pressure"


@pytest.mark.parametrize(
    ("sentence", "label"),
    [
        ("Echo showed an RVSP of 61 mmHg.", _PRESSURE),
        ("Pulmonary artery systolic pressure estimated at 44 mmHg.", _PRESSURE),
        ("NT-proBNP 1250 on admission.", "a natriuretic peptide"),
    ],
)  # fmt: skip
def test_label_of_an_unrecorded_quantity(sentence: str, label: str) -> None:
    start = next(i for i, ch in enumerate(sentence) if ch.isdigit())
    assert unrecorded_label(sentence, start) == label


def test_label_reading_needs_the_label_right_before_the_number() -> None:
    sentence = "PASP was not measured; resting blood pressure 132 mmHg."
    assert unrecorded_label(sentence, sentence.index("132")) is None


def test_pulmonary_pressure_is_unverified_not_wrong(normal_exercise: Study) -> None:
    text = "Normal perfusion. Known pulmonary hypertension, PASP 58 mmHg by echo."
    f = _only(text, normal_exercise, "G111")
    assert f.severity is FlagSeverity.WARNING and f.unverified is True
    assert _of(verify(text, normal_exercise), "G108") == []
    assert _only(text, normal_exercise, "G111", "model").severity is FlagSeverity.ERROR


def test_labelled_quantity_absent_from_the_study_is_unverified(normal_exercise: Study) -> None:
    # a SPECT study without PET flow: a flow reserve the text quotes has nothing to be checked against
    f = _only("Normal perfusion; MFR 2.4.", normal_exercise, "G111")
    assert f.severity is FlagSeverity.WARNING and f.unverified is True
    assert "does not record" in f.message


def test_changed_value_of_a_recorded_quantity_stays_an_error(normal_exercise: Study) -> None:
    f = _only("Normal perfusion; LVEF 41%.", normal_exercise, "G101")
    assert f.severity is FlagSeverity.ERROR and f.unverified is False


def test_unlabelled_number_matching_nothing_stays_an_error(normal_exercise: Study) -> None:
    flags = verify("Normal perfusion; the heart rate peaked at 97 bpm.", normal_exercise)
    assert any(f.severity is FlagSeverity.ERROR and not f.unverified for f in flags if f.code.value.startswith("G1"))


# --- TID and LV size -------------------------------------------------------------------------------------------------


def test_tid_without_a_ratio_is_unverified(without_tid: Study) -> None:
    f = _only("Normal perfusion, but transient ischemic dilation of the LV.", without_tid, "G404")
    assert f.severity is FlagSeverity.WARNING and f.unverified is True
    assert "no TID ratio was recorded" in f.message
    as_model = _only("Normal perfusion, but transient ischemic dilation of the LV.", without_tid, "G404", "model")
    assert as_model.severity is FlagSeverity.ERROR


def test_tid_against_a_recorded_normal_ratio_stays_an_error(normal_exercise: Study) -> None:
    f = _only("Normal perfusion, but transient ischemic dilation of the LV.", normal_exercise, "G404")
    assert f.severity is FlagSeverity.ERROR and f.unverified is False


def test_dilated_lv_without_volumes_or_tid_is_unverified(without_function: Study) -> None:
    f = _only("Normal perfusion. The left ventricle is dilated.", without_function, "G409")
    assert f.severity is FlagSeverity.WARNING and f.unverified is True


def test_dilated_lv_against_recorded_normal_volumes_stays_an_error(normal_exercise: Study) -> None:
    f = _only("Normal perfusion. The left ventricle is dilated.", normal_exercise, "G409")
    assert f.severity is FlagSeverity.ERROR and f.unverified is False


# --- wall motion, aneurysm, thrombus --------------------------------------------------------------------------------


def test_aneurysm_without_gated_wall_motion_is_unverified(without_function: Study) -> None:
    f = _only("Normal perfusion. Small apical aneurysm.", without_function, "G409")
    assert f.severity is FlagSeverity.WARNING and f.unverified is True
    assert _only("Normal perfusion. Small apical aneurysm.", without_function, "G409", "model").severity is (
        FlagSeverity.ERROR
    )


def test_aneurysm_against_recorded_normal_wall_motion_stays_an_error(normal_exercise: Study) -> None:
    f = _only("Normal perfusion. Small apical aneurysm.", normal_exercise, "G409")
    assert f.severity is FlagSeverity.ERROR and f.unverified is False


def test_thrombus_against_recorded_normal_wall_motion_stays_an_error(normal_exercise: Study) -> None:
    f = _only("Normal perfusion. Mural thrombus at the apex.", normal_exercise, "G409")
    assert f.severity is FlagSeverity.ERROR


def test_thrombus_without_gated_wall_motion_is_unverified(without_function: Study) -> None:
    f = _only("Normal perfusion. Mural thrombus at the apex.", without_function, "G409")
    assert f.severity is FlagSeverity.WARNING and f.unverified is True


def test_unverified_marker_stays_out_of_the_flag_json(normal_exercise: Study) -> None:
    f = _only("Normal LV perfusion. The right ventricle looks hypertrophied.", normal_exercise, "G408")
    assert "unverified" not in f.model_dump()


def test_tid_ratio_of_a_stress_only_study_is_contradicted(normal_exercise: Study) -> None:
    # one phase of images has no TID ratio: the protocol itself contradicts a value, it does not leave it open
    procedure = normal_exercise.procedure.model_copy(update={"protocol": Protocol.STRESS_ONLY})
    assert normal_exercise.function is not None
    function = normal_exercise.function.model_copy(update={"tid_ratio": None})
    study = normal_exercise.model_copy(update={"procedure": procedure, "function": function})
    f = _only("Normal stress-only perfusion, TID 1.31.", study, "G111")
    assert f.severity is FlagSeverity.ERROR and f.unverified is False
    assert "stress-only protocol has no TID ratio" in f.message
    g = _only("Normal stress-only perfusion with transient ischemic dilation.", study, "G404")
    assert g.severity is FlagSeverity.ERROR and g.unverified is False


def test_apical_thinning_against_recorded_normal_apical_scores_stays_an_error(normal_exercise: Study) -> None:
    f = _only("Apical thinning; otherwise normal perfusion.", normal_exercise, "G409")
    assert f.severity is FlagSeverity.ERROR


def test_lvef_change_where_rest_and_stress_lvef_are_recorded_is_contradicted(
    study_of: Callable[[str], Study],
) -> None:
    # the study records the LVEF at rest and after stress (and the prior's): a wrong change is contradicted by them
    study = study_of("dev12_spect_adenosine_lad_scar_periinfarct_ischemia_ef36_prior_report")
    text = "Versus the earlier scan, the resting ejection fraction is 7 points lower (38% vs 41%)."
    f = _only(text, study, "G111")
    assert f.severity is FlagSeverity.ERROR and f.unverified is False
