"""A hard synthetic case set with letters about it and the true case of each child, for
measuring matching: `python -m tools.synthetic_cases DIR --records 5000 --seed 2`."""
