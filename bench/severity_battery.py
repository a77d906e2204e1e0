"""Severity and extent flips in physicians' words: false errors on correct statements and detection of a changed grade.

A grade is said many ways: before its finding ("large, severe, fixed LAD defect"), after it ("severe in intensity and
large in extent"), as a field of a registry line ("severity severe | extent large"), of a scar told with its age
("a mild old lateral scar"), of a finding the writer reads as a normal variant ("a mild fixed apical reduction ...
apical thinning"), of LV function ("LVEF 31%, severely reduced"). The battery (``bench/data/severity_battery.json``)
was written by the sev46 helper in round 15 in its own wordings on released studies (development material, not an
unseen measure). A correct statement with any error flag is a false error; a flip is detected when it raises an
error flag the correct statement does not raise (bench/edit_battery.py). Each flip crosses a category the study does
not sit at the edge of (an adjacent grade at a boundary is at most a warning, by design).

First run (main 25531d1 plus the two fixes of branch sev46 reverted): see the report of branch sev46.

    PYTHONPATH=$PWD python bench/severity_battery.py [--show-misses 20]
"""

from __future__ import annotations

from pathlib import Path

from edit_battery import main  # bench/edit_battery.py: the scoring shared by the single-edit batteries

BATTERY = Path(__file__).parent / "data" / "severity_battery.json"


if __name__ == "__main__":
    main(BATTERY, __doc__.splitlines()[0])
