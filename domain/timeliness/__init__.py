"""Timeliness (R18): overdue escalations per department, for supervision and the yearly assessment."""
