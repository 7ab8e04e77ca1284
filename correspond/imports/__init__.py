"""Reading the council's exports into records: case records (cases.py), with the row
reporting shared with the school register's import (rows.py)."""
