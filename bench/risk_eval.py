"""Benchmark of the decision-support models on the public UCI data, against a logistic baseline
and, for SPECTF, against the published figure (about 77 % accuracy, Kurgan et al. 2001).

    python bench/risk_eval.py                 # tables
    python bench/risk_eval.py --json          # machine-readable
    python bench/risk_eval.py --seeds 5       # also the spread of CV AUC over 5 fold seeds
    python bench/risk_eval.py --plots out/    # calibration plots (PNG)

Hyperparameters are the RiskModel defaults, fixed a priori; the SPECTF test split is used once.
Data: ``<repo>/../shared/data/raw`` (override with --data-root).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from reporter.risk.datasets import load_table  # noqa: E402
from reporter.risk.evaluation import cross_validate, holdout_record, plot_calibration  # noqa: E402
from reporter.risk.features import get_task  # noqa: E402
from reporter.risk.manifest import EvaluationRecord, MetricSet  # noqa: E402
from reporter.risk.model import RiskModel  # noqa: E402

DEFAULT_ROOT = REPO.parent / "shared" / "data" / "raw"
CLEVELAND = ("uci_heart_disease_cleveland", "processed.cleveland.data")
SPECTF_TRAIN = ("uci_spect_heart", "spectf_train.csv")
SPECTF_TEST = ("uci_spect_heart", "spectf_test.csv")


def _row(name: str, ms: MetricSet) -> str:
    auc = "n/a" if ms.auc is None else f"{ms.auc:.3f} ({ms.auc_ci_low:.3f}-{ms.auc_ci_high:.3f})"
    acc = f"{ms.accuracy:.1%} ({ms.accuracy_ci_low:.1%}-{ms.accuracy_ci_high:.1%})"
    return f"  {name:<20} n={ms.n:<4} AUC {auc:<22} Brier {ms.brier:.3f}   accuracy {acc}"


def _print_record(title: str, record: EvaluationRecord) -> None:
    print(f"{title}: {record.scheme}")
    print(_row("xgboost", record.xgboost))
    if record.logistic is not None:
        print(_row("logistic baseline", record.logistic))
    if record.auc_difference_p is not None:
        print(f"  paired DeLong test of the AUC difference: p = {record.auc_difference_p:.3f}")


def run(root: Path, *, folds: int, seeds: int, plots: Path | None) -> dict[str, Any]:
    results: dict[str, Any] = {}
    for task_name, train_file, test_file in (
        ("pretest-abnormal-perfusion", CLEVELAND, None),
        ("pretest-clinical-abnormal-perfusion", CLEVELAND, None),
        ("spectf-abnormal", SPECTF_TRAIN, SPECTF_TEST),
    ):
        task = get_task(task_name)
        started = time.perf_counter()
        train = load_table(root.joinpath(*train_file), task)
        assert train.label is not None
        model = RiskModel(task.name)
        cv = cross_validate(model, train.features, train.label, folds=folds, seed=0)
        entry: dict[str, Any] = {"cross_validation": cv.record(train.source, train.sha256).model_dump(mode="json")}
        if seeds > 1:
            aucs = [
                cross_validate(model, train.features, train.label, folds=folds, seed=s).record("", "").xgboost.auc
                for s in range(seeds)
            ]
            entry["cv_auc_over_seeds"] = {"seeds": seeds, "min": min(aucs), "max": max(aucs)}  # type: ignore[type-var]
        if plots is not None:
            plot_calibration(
                plots / f"{task.name}_cv.png",
                cv.label,
                {"xgboost": cv.xgboost, "logistic": cv.logistic},
                title=f"{task.name}: {cv.scheme}",
            )
        if test_file is not None:
            test = load_table(root.joinpath(*test_file), task)
            assert test.label is not None
            model.fit(train.features, train.label)
            record, p_xgb, p_lr = holdout_record(
                model,
                train.features,
                train.label,
                test.features,
                test.label,
                data_source=test.source,
                data_sha256=test.sha256,
            )
            entry["test_split"] = record.model_dump(mode="json")
            if plots is not None:
                plot_calibration(
                    plots / f"{task.name}_test.png",
                    test.label,
                    {"xgboost": p_xgb, "logistic": p_lr},
                    title=f"{task.name}: fixed test split",
                )
        entry["published"] = [{"metric": f.metric, "value": f.value, "source": f.source} for f in task.published]
        entry["seconds"] = round(time.perf_counter() - started, 2)
        results[task.name] = entry
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-root", type=Path, default=DEFAULT_ROOT)
    parser.add_argument("--folds", type=int, default=10)
    parser.add_argument("--seeds", type=int, default=1, help="repeat CV over this many fold seeds")
    parser.add_argument("--plots", type=Path, default=None, help="directory for calibration PNGs")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    results = run(args.data_root, folds=args.folds, seeds=args.seeds, plots=args.plots)
    if args.json:
        print(json.dumps(results, indent=2))
        return
    for name, entry in results.items():
        print(f"\n== {name} ({entry['seconds']} s)")
        _print_record("cross-validation", EvaluationRecord.model_validate(entry["cross_validation"]))
        if "cv_auc_over_seeds" in entry:
            spread = entry["cv_auc_over_seeds"]
            print(f"  xgboost CV AUC over {spread['seeds']} fold seeds: {spread['min']:.3f} to {spread['max']:.3f}")
        if "test_split" in entry:
            _print_record("fixed UCI test split", EvaluationRecord.model_validate(entry["test_split"]))
        for figure in entry["published"]:
            print(f"  published {figure['metric']}: {figure['value']:.0%} ({figure['source']})")


if __name__ == "__main__":
    main()
