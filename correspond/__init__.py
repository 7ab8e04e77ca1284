"""correspond: MP correspondence about children with SEND, read, linked and answered."""

__version__ = "0.1.0"
