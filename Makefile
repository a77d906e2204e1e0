# Two entry points for a fresh machine; both create/refresh .venv as needed (idempotent).
.PHONY: demo test bench

demo:
	@scripts/bootstrap.sh
	@.venv/bin/ncreport demo examples

test:
	@scripts/bootstrap.sh
	@scripts/test.sh

bench:
	@scripts/bootstrap.sh
	@.venv/bin/python bench/draft.py
