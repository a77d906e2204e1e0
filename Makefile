# Two entry points for a fresh machine; both create/refresh .venv as needed (idempotent).
.PHONY: demo test bench

demo:
	@scripts/bootstrap.sh
	@.venv/bin/ncreport demo examples

test:
	@NCREPORT_EXTRAS=all,llamacpp,dev scripts/bootstrap.sh
	@scripts/test.sh

bench:
	@NCREPORT_EXTRAS=all,llamacpp,dev scripts/bootstrap.sh
	@.venv/bin/python bench/draft.py
