"""Jinja2 templates of the report and of the LLM prompts (package data; a site may override)."""
