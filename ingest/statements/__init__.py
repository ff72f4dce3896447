"""Financial statements read out of documents: balance sheets, income and cash-flow statements."""

from ingest.statements.extract import extract, extract_document, extract_pdf
from ingest.statements.schemas import Check, Extracted, Figure, Statement

__all__ = [
    "Check",
    "Extracted",
    "Figure",
    "Statement",
    "extract",
    "extract_document",
    "extract_pdf",
]
