"""Helpers for the test suite: the engine under test, users, waiting for asynchronous work."""
