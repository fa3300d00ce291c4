"""Hypothesis-driven fuzzing of every page, form and importer (`python -m fuzz.run`)."""
