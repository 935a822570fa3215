"""Code shared by the workers and the web UI of the 惠企政策兑现 one-window service."""
