"""Upload readers, normalising and validation.

``read_upload(files, settings=..., store_roster=..., lang=...)`` reads CSV and
XLSX files (any of the three datasets, in any mix), normalises every value to
the contract's canonical form and reports every problem found, in one pass.
"""
from .problems import Problem
from .upload import Upload, read_upload

__all__ = ["read_upload", "Upload", "Problem"]
