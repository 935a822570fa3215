"""Notices to enterprises and staff: written once to an outbox, delivered by channel (later)."""
