"""Reading training and scoring tables: the UCI files and a site's own CSV (I/O at the edge).

Accepted files:

* a CSV **with a header row** whose columns are the task's canonical names (see
  :data:`reporter.risk.features.TASKS`) and, for training and evaluation, the label column;
* the headerless UCI ``processed.cleveland.data`` (14 columns, ``?`` for missing);
* any CSV plus a **column mapping** (JSON or YAML) that renames site columns to canonical
  names, recodes site values, and names the label column and its positive values::

      {"columns": {"age": "AgeYears", "sex": "Sex", "thal": "SpectResult"},
       "values": {"sex": {"M": 1, "F": 0}},
       "label": {"column": "SpectResult", "positive": ["abnormal"], "negative": ["normal"]},
       "missing": ["", "?", "NA"]}

Empty cells and the ``missing`` tokens become NaN (xgboost routes them natively). Anything
else that is not a number is an error that names the column, the row and the value.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from reporter.errors import ConfigError, FieldProblem, InputFormatError, NotFoundError
from reporter.risk.features import TaskSpec

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["ColumnMapping", "LabelMapping", "TabularData", "load_mapping", "load_table", "sha256_of"]

_DEFAULT_MISSING = ("", "?", "NA", "NaN", "nan")
_MAX_PROBLEMS = 5


class LabelMapping(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    column: str = Field(min_length=1)
    positive: tuple[str | float, ...] = Field(min_length=1)
    negative: tuple[str | float, ...] = Field(min_length=1)


class ColumnMapping(BaseModel):
    """How a site's CSV maps to a task's canonical columns; unknown keys are rejected."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    columns: dict[str, str] = Field(default_factory=dict, description="canonical name -> site column")
    values: dict[str, dict[str, float]] = Field(
        default_factory=dict, description="canonical name -> {site value: canonical code}"
    )
    label: LabelMapping | None = None
    missing: tuple[str, ...] = _DEFAULT_MISSING

    def check_against(self, task: TaskSpec) -> None:
        known = {*task.feature_names, task.label.column}
        problems = [
            FieldProblem(f"{section}.{name}", f"not a column of task {task.name}", name)
            for section, names in (("columns", self.columns), ("values", self.values))
            for name in names
            if name not in known
        ]
        if problems:
            raise ConfigError(f"column mapping does not fit task {task.name}", problems)


@dataclass(frozen=True, slots=True)
class TabularData:
    """A table in canonical form: float features (NaN = missing) and an optional 0/1 label."""

    features: pd.DataFrame
    label: np.ndarray | None
    sha256: str
    source: str
    n_unlabelled: int = 0

    @property
    def n_rows(self) -> int:
        return len(self.features)


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def load_mapping(path: Path) -> ColumnMapping:
    """Read a column-mapping file (``.json``, ``.yaml`` or ``.yml``)."""
    text = _read_text(path, what="column mapping")
    try:
        if path.suffix.lower() in (".yaml", ".yml"):
            import yaml  # lazy: only sites that write YAML need it

            raw: Any = yaml.safe_load(text)
        else:
            raw = json.loads(text)
    except ImportError as exc:
        raise ConfigError("YAML column mappings need PyYAML (pip install pyyaml); or use JSON") from exc
    except ValueError as exc:  # json.JSONDecodeError and yaml.YAMLError's parse errors
        raise ConfigError(f"column mapping {path.name} is not valid {path.suffix.lstrip('.')}: {exc}") from exc
    except Exception as exc:  # yaml.YAMLError does not derive from ValueError
        raise ConfigError(f"column mapping {path.name} could not be parsed: {exc}") from exc
    try:
        return ColumnMapping.model_validate(raw)
    except ValidationError as exc:
        problems = [FieldProblem(".".join(map(str, e["loc"])) or "(root)", e["msg"]) for e in exc.errors()]
        raise ConfigError(f"column mapping {path.name} is invalid", problems) from exc


def load_table(
    path: Path,
    task: TaskSpec,
    *,
    mapping: ColumnMapping | None = None,
    require_label: bool = True,
) -> TabularData:
    """Read ``path`` into the task's canonical columns; rows with a missing label are dropped."""
    import pandas as pd

    text = _read_text(path, what="data file")
    if not text.strip():
        raise InputFormatError(f"data file {path.name} is empty")
    mapping = mapping or ColumnMapping()
    mapping.check_against(task)
    missing_tokens = set(mapping.missing)
    rows = _parse_csv(text, path.name)
    header = [c.strip() for c in rows[0]]
    if _looks_numeric(header, missing_tokens):
        if not task.headerless_columns or len(header) != len(task.headerless_columns):
            raise InputFormatError(
                f"data file {path.name} has no header row; give a CSV whose first row names the columns "
                f"({', '.join(task.feature_names[:5])}, ...)"
            )
        header, body = list(task.headerless_columns), rows
    else:
        body = rows[1:]
    if not body:
        raise InputFormatError(f"data file {path.name} has a header but no data rows")
    widths = {len(r) for r in body}
    if widths != {len(header)}:
        bad = next(i for i, r in enumerate(body) if len(r) != len(header))
        raise InputFormatError(
            f"data file {path.name}: row {bad + 1} has {len(body[bad])} fields, the header has {len(header)}"
        )
    table = pd.DataFrame([[c.strip() for c in r] for r in body], columns=header, dtype=object)

    site_name = {name: mapping.columns.get(name, name) for name in (*task.feature_names, task.label.column)}
    label_mapping = mapping.label or LabelMapping(
        column=site_name[task.label.column], positive=task.label.positive, negative=task.label.negative
    )
    absent = [
        FieldProblem(name, f"column {site_name[name]!r} not found in {path.name}")
        for name in task.feature_names
        if site_name[name] not in table.columns
    ]
    if require_label and label_mapping.column not in table.columns:
        absent.append(FieldProblem("label", f"label column {label_mapping.column!r} not found in {path.name}"))
    if absent:
        raise InputFormatError(f"data file {path.name} lacks columns of task {task.name}", absent)

    features = pd.DataFrame(
        {
            name: _to_numbers(table[site_name[name]], name, mapping.values.get(name, {}), missing_tokens, path)
            for name in task.feature_names
        }
    )
    if not require_label or label_mapping.column not in table.columns:
        return TabularData(features=features, label=None, sha256=sha256_of(path), source=path.name)
    label = _to_label(table[label_mapping.column], label_mapping, missing_tokens, path)
    keep = ~np.isnan(label)
    return TabularData(
        features=features[keep].reset_index(drop=True),
        label=label[keep].astype(np.int64),
        sha256=sha256_of(path),
        source=path.name,
        n_unlabelled=int((~keep).sum()),
    )


def _read_text(path: Path, *, what: str) -> str:
    if not path.exists():
        raise NotFoundError(f"{what} {path} does not exist")
    if not path.is_file():
        raise InputFormatError(f"{what} {path} is not a file")
    try:
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputFormatError(f"{what} {path.name} is not UTF-8 text") from exc


def _parse_csv(text: str, name: str) -> list[list[str]]:
    import csv

    try:
        rows = [r for r in csv.reader(text.splitlines()) if any(c.strip() for c in r)]
    except csv.Error as exc:
        raise InputFormatError(f"data file {name} is not valid CSV: {exc}") from exc
    if not rows:
        raise InputFormatError(f"data file {name} is empty")
    return rows


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def _looks_numeric(cells: Sequence[str], missing: set[str]) -> bool:
    return all(c in missing or _is_number(c) for c in cells)


def _to_numbers(column: pd.Series, name: str, recode: Mapping[str, float], missing: set[str], path: Path) -> np.ndarray:
    values = np.full(len(column), np.nan)
    problems: list[FieldProblem] = []
    for i, cell in enumerate(column):
        if cell in recode:
            values[i] = recode[cell]
        elif cell in missing:
            continue
        elif _is_number(cell) and math.isfinite(float(cell)):
            values[i] = float(cell)
        elif len(problems) < _MAX_PROBLEMS:
            problems.append(FieldProblem(f"{name} (data row {i + 1})", "not a number", cell))
    if problems:
        raise InputFormatError(f"data file {path.name}: column {name} has values that are not numbers", problems)
    return values


def _to_label(column: pd.Series, spec: LabelMapping, missing: set[str], path: Path) -> np.ndarray:
    def key(value: str | float) -> str | float:
        return float(value) if isinstance(value, float | int) or _is_number(value) else value

    positive = {key(v) for v in spec.positive}
    negative = {key(v) for v in spec.negative}
    label = np.full(len(column), np.nan)
    problems: list[FieldProblem] = []
    for i, cell in enumerate(column):
        if cell in missing:
            continue
        value = key(cell)
        if value in positive:
            label[i] = 1.0
        elif value in negative:
            label[i] = 0.0
        elif len(problems) < _MAX_PROBLEMS:
            problems.append(FieldProblem(f"{spec.column} (data row {i + 1})", "neither positive nor negative", cell))
    if problems:
        allowed = ", ".join(map(str, (*spec.positive, *spec.negative)))
        raise InputFormatError(f"data file {path.name}: label values outside {allowed}", problems)
    return label
