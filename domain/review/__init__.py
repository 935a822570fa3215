"""Substantive review (R6): the expert panel — who sits on it, how many — and the summary of its opinions."""
