"""Financial statements read out of documents: balance sheets, income and cash-flow statements."""

from ingest.statements.extract import extract, extract_pdf
from ingest.statements.schemas import Check, Figure, Statement

__all__ = ["Check", "Figure", "Statement", "extract", "extract_pdf"]
