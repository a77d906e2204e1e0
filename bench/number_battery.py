"""Derived numbers in physicians' words: false errors on correct statements and detection of a wrong one.

Physicians write numbers a study implies but does not store: a Duke score from its inputs, a share of the LV
from a summed score, the % of the age-predicted maximal heart rate and the target, a heart-rate or pressure
rise, the double product, an LVEF change in points or relative %, a flow reserve from its MBF values, an
activity in another unit, an exercise time as min:s, a count of segments, the years since the prior. The
battery (``bench/data/number_battery.json``) was written by the num30 helper after reading the guardrails'
code (development material, not an unseen measure): for 8 studies of ``bench/data/physician_studies``, correct
statements in varied styles, and single-edit corruptions (find/replace) that make one derived number wrong.

Each statement is verified alone (``scope="full"``) as a physician's text. A correct statement with any error
flag is a false error; a corruption is detected when it raises an error flag (any code) that the correct
statement does not raise.

Before the rules of guardrails.facts._derived (main at bf1e05b): 36 of 63 correct statements clean (57.1 %), 43 of
80 wrong numbers detected (0.537; none of the heart-rate or pressure changes, double products, target rates or
years, most of them because the correct statement was already flagged). After: 62 of 63 clean (98.4 %; left: an
LVEF "3 points lower" than the prior read as a post-stress drop, G409), 80 of 80 detected.

    PYTHONPATH=$PWD python bench/number_battery.py [--show-misses 20]
"""

from __future__ import annotations

from pathlib import Path

from edit_battery import main  # bench/edit_battery.py: the scoring shared by the single-edit batteries

BATTERY = Path(__file__).parent / "data" / "number_battery.json"


if __name__ == "__main__":
    main(BATTERY, __doc__.splitlines()[0])
