"""The local stack for development and tests: build and start the engine jar, run everything."""
