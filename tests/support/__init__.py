"""Helpers for the test suite: the case driver, the deployed forms' fields, test policies, and local
stand-ins for the outside world (SMTP, the municipal endpoint, proxies). What benchmarks share with
the tests (the engine under test, workers as a process, waiting) lives in devstack/."""
