"""External-task workers: one handler module per BPMN topic, served by one runner."""
