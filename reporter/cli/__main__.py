"""``python -m reporter.cli`` runs the ``ncreport`` command line."""

from reporter.cli import main

main()
