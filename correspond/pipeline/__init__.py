"""The pipeline for one file (stages.py), and the warm worker processes that read and
extract files for it with limits (workers.py)."""

from correspond.pipeline.stages import Expected, FileChanged, Outcome, Pipeline

__all__ = ["Expected", "FileChanged", "Outcome", "Pipeline"]
