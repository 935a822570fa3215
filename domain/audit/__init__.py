"""The audit trail: who changed what, when, from where (every state change of the web UI)."""
