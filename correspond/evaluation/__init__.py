"""Measuring quality on labelled sets: extraction against gold answers (extraction.py,
scored by the rules in compare.py) and matching against a case set whose true links are
known (matching.py). `correspond evaluate` runs them."""
