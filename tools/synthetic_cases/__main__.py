"""python -m tools.synthetic_cases DIR [--records N] [--letters N] [--seed S]"""

from __future__ import annotations

from pathlib import Path

import click

from correspond.cli.progress import counter
from tools.synthetic_cases.generate import generate_case_set


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--records", default=5000, show_default=True, type=click.IntRange(min=1),
              help="How many case records to write.")
@click.option("--letters", type=click.IntRange(min=0), default=None,
              help="How many letters to write (default: one for every five records).")
@click.option("--seed", default=1, show_default=True, help="The same seed writes the same set.")
def main(directory: Path, records: int, letters: int | None, seed: int) -> None:
    """Write a hard synthetic case set to DIRECTORY (cases.csv, letters.jsonl with the true
    case of each child), for `correspond evaluate DIRECTORY`."""
    with counter(length=records, label="Writing case records") as written_one:
        made = generate_case_set(directory, records=records, seed=seed, letters=letters,
                                 written_one=written_one)
    click.echo(f"{made.records} case records and {made.letters} letters about "
               f"{made.children} children ({made.children_with_record} with a record) "
               f"written to {directory}")


if __name__ == "__main__":
    main()
