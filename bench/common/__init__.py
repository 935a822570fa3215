"""What every benchmark shares: settings (FULL=1), guards, result lines, memory, progress, plots, statistics."""
