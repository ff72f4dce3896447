"""Workflow steps called directly, without HTTP."""
