"""Numbered documents: recognition documents (R8), numbered per department and year."""
