"""The departments' people (R14): each department's lead section (牵头科室) and liaison (联络员)."""
