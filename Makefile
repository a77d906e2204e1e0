# Two entry points for a fresh machine; both create/refresh .venv as needed (idempotent).
.PHONY: demo test bench

# The reading room on http://127.0.0.1:8000 with the example studies and one user per role (Ctrl-C stops it).
demo:
	@scripts/bootstrap.sh
	@.venv/bin/ncreport serve --demo

test:
	@NCREPORT_EXTRAS=all,llamacpp,dev scripts/bootstrap.sh
	@scripts/test.sh

bench:
	@NCREPORT_EXTRAS=all,llamacpp,dev scripts/bootstrap.sh
	@.venv/bin/python bench/draft.py
