"""The policy catalogue: which department answers for a policy, its type, level and procedures."""
