"""Scanned and photographed versions of the hand-written development letters, for
measuring OCR: each letter is typeset as a PDF, rasterised as a scanner would, and
degraded (skew, grey paper, noise, blur, 1-bit fax, uneven light). See make.py."""
