"""Handling files nobody can vouch for: opening a dropped entry only if it is a plain
file (regular.py), and bounding and cleaning Word packages before any library unpacks
or converts them (word_package.py)."""
