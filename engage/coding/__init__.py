"""Coding free text: code frames built from suggested themes, and who applied which code."""
