"""What the page draws: the text's runs under each flag, the 17-segment polar maps, the bars, the labels."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from reporter.api.web import views


@dataclass(frozen=True)
class _Flag:
    key: str
    code: str
    severity: str
    span: tuple[int, int] | None
    decision: str | None = None


def test_the_text_is_cut_where_each_flag_and_model_sentence_starts_and_ends() -> None:
    text = "LVEF 55%. Normal perfusion. Done."
    g101 = _Flag("a", "G101", "error", (5, 8))
    wide = _Flag("b", "G901", "warning", (0, 9))
    runs = views.marked_text(text, [g101, wide, _Flag("c", "N103", "warning", None)], ["Normal perfusion."])
    assert [(r.text, [f.code for f in r.flags], r.model) for r in runs] == [
        ("LVEF ", ["G901"], False),
        ("55%", ["G101", "G901"], False),
        (".", ["G901"], False),
        (" ", [], False),
        ("Normal perfusion.", [], True),
        (" Done.", [], False),
    ]
    assert runs[1].severity == "error"
    assert "".join(r.text for r in runs) == text


def test_a_run_whose_flags_are_all_decided_is_shown_as_decided() -> None:
    runs = views.marked_text("LVEF 55%", [_Flag("a", "G101", "error", (5, 8), decision="override")])
    assert [(r.text, r.decided) for r in runs] == [("LVEF ", False), ("55%", True)]


def test_a_span_outside_the_text_is_not_drawn() -> None:
    assert [r.text for r in views.marked_text("short", [_Flag("a", "G101", "error", (3, 99))])] == ["short"]


def test_three_polar_maps_with_scores_totals_and_the_default_territory_outlines(example: Any) -> None:
    maps = views.polar_maps(example("spect_multivessel_high_risk"))
    assert [(m.title, m.total) for m in maps] == [("Stress (SSS)", 28), ("Rest (SRS)", 5), ("Difference (SDS)", 23)]
    stress = maps[0]
    assert [(c.segment, c.score, c.territory) for c in stress.cells[:3]] == [
        (1, 3, "LAD"),
        (2, 2, "LAD"),
        (3, 0, "RCA"),
    ]
    centre = views.SCALE * (views.OUTER + 1.2)
    basal_anterior = stress.cells[0]
    assert basal_anterior.label_x == centre and basal_anterior.label_y < centre  # anterior at the top
    basal_anteroseptal = stress.cells[1]
    assert basal_anteroseptal.label_x < centre  # septum on the left
    # radial borders: basal and mid at 60, 180 and 300 degrees; apical at 45, 225 and 315
    assert len([d for d in stress.outlines if " L" in d]) == 9
    assert [name for name, _, _ in stress.labels] == ["LAD", "LCx", "RCA"]


def test_a_stress_only_study_has_one_map(example: Any) -> None:
    assert [m.title for m in views.polar_maps(example("spect_stress_only_normal"))] == ["Stress (SSS)"]


def test_a_thallium_study_maps_its_redistribution_scores(tl201_redistribution: Any) -> None:
    maps = views.polar_maps(tl201_redistribution)
    assert [(m.title, m.total) for m in maps] == [
        ("Stress (SSS)", 8),
        ("Redistribution (SRS)", 2),
        ("Difference (SDS)", 6),
    ]


def test_bars_scale_to_the_largest_and_write_missing_values() -> None:
    assert [(b.label, b.width, b.text) for b in views.bars([("a", 2), ("b", 4), ("c", None)], width=100)] == [
        ("a", 50.0, "2"),
        ("b", 100.0, "4"),
        ("c", 0, "n/a"),
    ]


def test_a_share_is_drawn_on_its_whole_scale() -> None:
    assert [(b.width, b.text) for b in views.bars([("W49", 3.0)], width=200, fmt="{:.0f} %", top=100)] == [(6.0, "3 %")]


def test_the_drift_grid_has_a_row_per_input_and_a_cell_per_week() -> None:
    from reporter.risk.drift import DriftLevel, FeatureDrift
    from reporter.service.monitoring import DriftWeek, InputDrift

    age = FeatureDrift(
        feature="age",
        label="age",
        psi=0.1695,
        level=DriftLevel.MODERATE,
        out_of_range_share=0.0,
        missing_share=0.0,
        training_missing_share=0.0,
    )
    drift = InputDrift(
        model="m 1",
        weeks=(DriftWeek("2026-W48", 0), DriftWeek("2026-W49", 10, (age,))),
        moderate=0.1,
        major=0.25,
        small_sample=100,
    )
    grid = views.psi_grid(drift)
    assert grid is not None
    assert grid.rows == (("age", 40),)
    assert grid.columns == (("W48", "n=0", 210), ("W49", "n=10", 268))
    assert [(c.level, c.text, c.title) for c in grid.cells] == [
        ("none", "—", "age, 2026-W48: no study submitted"),
        ("moderate", "0.17", "age, 2026-W49: PSI 0.1695 (moderate); missing 0 % (training 0 %)"),
    ]
    assert views.psi_grid(InputDrift(note="no risk model configured")) is None


def test_field_names_become_labels_with_units() -> None:
    assert [views.label(k) for k in ("rest_sbp_mmhg", "stress_lvef_percent", "rest_mbf_ml_min_g", "tid_ratio")] == [
        "Rest SBP (mmHg)",
        "Stress LVEF (%)",
        "Rest MBF (mL/min/g)",
        "TID ratio",
    ]


def test_the_prior_is_set_beside_the_current_values(example: Any) -> None:
    assert views.prior_comparison(example("spect_followup_new_lateral_ischemia")) == [
        ("Study date", "2024-08-27", "2026-09-03"),
        ("Modality", "SPECT", "SPECT"),
        ("SSS", "0", "11"),
        ("SDS", "0", "10"),
        ("LVEF", "60 %", "56 %"),
        ("TID ratio", "—", "1.1"),
    ]


def test_no_prior_no_comparison(example: Any) -> None:
    assert views.prior_comparison(example("spect_lad_ischemia")) == []


def test_a_worklist_row_names_the_patient_only_when_the_study_holds_a_name() -> None:
    assert views.who({"patient": {"age_years": 63, "sex": "male"}, "clinical": {"indication": "Chest pain."}}) == (
        "63 y male",
        "Chest pain.",
    )
    assert views.who(
        {"patient": {"name": "Doe^Jane", "age_years": 70, "sex": "female"}, "clinical": {"indication": "x" * 90}}
    ) == ("Doe^Jane, 70 y female", "x" * 80 + "…")
