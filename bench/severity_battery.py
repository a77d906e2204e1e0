"""Severity and extent flips in physicians' words: false errors on correct statements and detection of a changed grade.

A grade is said many ways: before its finding ("large, severe, fixed LAD defect"), after it ("severe in intensity and
large in extent"), as a field of a registry line ("severity severe | extent large"), of a scar told with its age
("a mild old lateral scar"), of a finding the writer reads as a normal variant ("a mild fixed apical reduction ...
apical thinning"), of LV function ("LVEF 31%, severely reduced"). The battery (``bench/data/severity_battery.json``)
was written by the sev46 helper in round 15 in its own wordings on released studies (development material, not an
unseen measure). A correct statement with any error flag is a false error; a flip is detected when it raises an
error flag the correct statement does not raise (bench/edit_battery.py). Each flip crosses a category the study does
not sit at the edge of (an adjacent grade at a boundary is at most a warning, by design).

14 correct statements and 21 flips on five released studies. Before branch sev46 (main 25531d1): 13 of 14 clean
("Medium-to-large, severe, fixed ..." on a large defect: G302, the range read as its first end), 14 of 21 detected
(none of the grades of an old scar, "Mild old lateral scar" -> "Severe ..."/"Large ...", "a mild remote infarct" ->
"a severe ..."; nor of a reduction read as apical thinning or a normal variant; nor "A moderate to large area of
... hypoperfusion" -> "A small to moderate area"). After: 14 of 14, 21 of 21.

    PYTHONPATH=$PWD python bench/severity_battery.py [--show-misses 20]
"""

from __future__ import annotations

from pathlib import Path

from edit_battery import main  # bench/edit_battery.py: the scoring shared by the single-edit batteries

BATTERY = Path(__file__).parent / "data" / "severity_battery.json"


if __name__ == "__main__":
    main(BATTERY, __doc__.splitlines()[0])
