"""Reading the UCI files and a site's CSV into canonical columns; bad input raises coded errors."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from reporter.errors import NcreportError
from reporter.risk.datasets import load_mapping, load_table
from reporter.risk.features import TASKS, get_task

PRETEST = get_task("pretest-abnormal-perfusion")
CLINICAL = get_task("pretest-clinical-abnormal-perfusion")
SPECTF = get_task("spectf-abnormal")


def test_cleveland_label_is_thal_fixed_or_reversible_defect_and_unlabelled_rows_are_dropped(
    cleveland: Path,
) -> None:
    data = load_table(cleveland, PRETEST)
    assert (data.n_rows, int(data.label.sum()), data.n_unlabelled) == (301, 135, 2)
    assert data.sha256 == "a74b7efa387bc9d108d7d0115d831fe9b414b29ae7124f331b622b4efa0427c8"
    assert list(data.features.columns) == [
        "age", "sex", "cp", "trestbps", "chol", "fbs", "restecg", "thalach", "exang", "oldpeak", "slope",
    ]  # fmt: skip
    assert data.features.iloc[0].tolist() == [63, 1, 1, 145, 233, 1, 2, 150, 0, 2.3, 3]


def test_leakage_columns_are_not_features() -> None:
    for task in (PRETEST, CLINICAL):
        assert {"ca", "num", "thal"}.isdisjoint(task.feature_names)
        assert set(task.leakage_excluded) == {"ca", "num"}


def test_headered_and_headerless_cleveland_give_the_same_table(cleveland: Path, cleveland_with_header: Path) -> None:
    headerless = load_table(cleveland, PRETEST)
    headered = load_table(cleveland_with_header, PRETEST)
    assert headered.features.equals(headerless.features)
    assert (headered.label == headerless.label).all()


def test_spectf_uses_the_fixed_uci_split(spectf_train: Path, spectf_test: Path) -> None:
    train, test = load_table(spectf_train, SPECTF), load_table(spectf_test, SPECTF)
    assert (train.n_rows, int(train.label.sum()), test.n_rows, int(test.label.sum())) == (80, 40, 187, 172)
    assert train.features.shape[1] == 44


@pytest.mark.parametrize("suffix", [".json", ".yaml"])
def test_a_site_csv_reads_through_a_column_mapping(
    tmp_path: Path, site_csv: Path, site_mapping: dict[str, Any], suffix: str
) -> None:
    mapping_path = tmp_path / f"mapping{suffix}"
    mapping_path.write_text(json.dumps(site_mapping), encoding="utf-8")  # JSON is valid YAML
    data = load_table(site_csv, CLINICAL, mapping=load_mapping(mapping_path))
    assert data.label.tolist() == [1, 0, 0]
    assert data.n_unlabelled == 1
    assert data.features["sex"].tolist() == [1, 1, 0]
    assert data.features["chol"].isna().tolist() == [False, True, False]


def _error(call: Any) -> NcreportError:
    with pytest.raises(NcreportError) as info:
        call()
    return info.value


def test_missing_columns_are_named(tmp_path: Path) -> None:
    path = tmp_path / "short.csv"
    path.write_text("age,sex,thal\n63,1,6\n", encoding="utf-8")
    exc = _error(lambda: load_table(path, CLINICAL))
    assert exc.code == "E102"
    assert [p.field for p in exc.problems] == ["cp", "trestbps", "chol", "fbs", "restecg"]


def test_non_numeric_values_are_named_with_their_row(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(
        "age,sex,cp,trestbps,chol,fbs,restecg,thal\n63,1,1,145,233,1,2,6\n67,1,4,160,high,0,2,3\n",
        encoding="utf-8",
    )
    exc = _error(lambda: load_table(path, CLINICAL))
    assert exc.code == "E102"
    assert [(p.field, p.value) for p in exc.problems] == [("chol (data row 2)", "high")]


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (None, "E201"),  # no such file
        ("", "E102"),  # empty
        ("1,2,3\n4,5,6\n", "E102"),  # no header, and not the UCI layout
        ('{"patient": {}}\n', "E102"),  # a JSON file given as data
    ],
)
def test_wrong_files_raise_coded_errors(tmp_path: Path, content: str | None, code: str) -> None:
    path = tmp_path / "data.csv"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    assert _error(lambda: load_table(path, SPECTF)).code == code


def test_unknown_label_values_are_rejected(tmp_path: Path) -> None:
    path = tmp_path / "labels.csv"
    path.write_text("age,sex,cp,trestbps,chol,fbs,restecg,thal\n63,1,1,145,233,1,2,5\n", encoding="utf-8")
    exc = _error(lambda: load_table(path, CLINICAL))
    assert (exc.code, exc.problems[0].field) == ("E102", "thal (data row 1)")


def test_a_mapping_with_unknown_keys_or_columns_is_a_config_error(tmp_path: Path, site_csv: Path) -> None:
    typo = tmp_path / "typo.json"
    typo.write_text('{"colums": {"age": "AgeYears"}}', encoding="utf-8")
    assert _error(lambda: load_mapping(typo)).code == "E104"
    wrong = tmp_path / "wrong.json"
    wrong.write_text('{"columns": {"ca": "Vessels"}}', encoding="utf-8")
    exc = _error(lambda: load_table(site_csv, CLINICAL, mapping=load_mapping(wrong)))
    assert (exc.code, exc.problems[0].field) == ("E104", "columns.ca")


def test_unknown_task_names_the_known_ones() -> None:
    exc = _error(lambda: get_task("pretest"))
    assert exc.code == "E104"
    assert list(TASKS) == ["pretest-abnormal-perfusion", "pretest-clinical-abnormal-perfusion", "spectf-abnormal"]
