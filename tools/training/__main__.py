"""python -m tools.training --reference ../shared/corpus/reference --output models"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from correspond.errors import CorrespondError
from correspond.shipped import inside_package
from tools.training.build import train_pipeline

REPOSITORY_MODELS = Path(__file__).resolve().parents[2] / "models"


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--reference", type=click.Path(exists=True, file_okay=False, path_type=Path),
              required=True, help="Folder of the reference lists (names, schools, MPs), "
              "e.g. ../shared/corpus/reference.")
@click.option("--letters", default=3000, show_default=True,
              help="How many synthetic letters to train on.")
@click.option("--seed", default=20261123, show_default=True,
              help="Seed of the letter generator; the same seed gives the same model.")
@click.option("--steps", type=int, default=None,
              help="Training steps (default: as in the model folder's train.cfg).")
@click.option("--output", type=click.Path(file_okay=False, path_type=Path),
              default=REPOSITORY_MODELS, show_default=True,
              help="Folder to write the model to; never the model installed with correspond.")
@click.option("--accept-new-assets", is_flag=True,
              help="Train on reference lists whose checksums differ from assets.json.")
def main(reference: Path, letters: int, seed: int, steps: int | None, output: Path,
         accept_new_assets: bool) -> None:
    """Build the extraction model from synthetic letters into OUTPUT (models/ of this
    checkout by default), with the reference lists' checksums recorded beside it."""
    target = output.resolve()
    if inside_package(target):
        raise click.ClickException(
            f"{target} is the model installed with correspond, which an upgrade replaces: "
            "give --output DIR, then set model_dir to DIR.")
    try:
        summary = train_pipeline(reference=reference, models=target, letters=letters,
                                 seed=seed, max_steps=steps,
                                 accept_new_assets=accept_new_assets)
    except CorrespondError as err:
        click.echo(err.reason, err=True)
        sys.exit(1)
    click.echo(f"Trained on {summary['letters']} synthetic letters (seed {summary['seed']}); "
               f"the pipeline is in {target / 'pipeline'}. Measure it with "
               f"`correspond evaluate tests/devset`.")


if __name__ == "__main__":
    main()
