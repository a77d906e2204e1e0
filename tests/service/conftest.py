"""The database fixtures (SQLite and PostgreSQL) live in tests/conftest.py, shared with tests/api."""
