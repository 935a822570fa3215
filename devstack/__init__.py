"""The local stack for development, tests and benchmarks: build and start the engine jar (engine), run
everything (`make run`), and what tests and bench/ share — the engine under test, an engine and a
database prepared as `make run` does (stack), the workers as a child process, waiting for them."""
