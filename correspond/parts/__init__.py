"""The parts stage: between reading a letter and extracting from it, mark which
stretch of the text is what (see model.py)."""
