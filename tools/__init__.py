"""Tools that build and measure the product, run from a checkout and never installed:
the training recipe for models/ (training/), the synthetic case-set generator
(synthetic_cases/) and the letter-template builder (build_templates.py)."""
