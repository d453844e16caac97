"""CLI verbs for limits (filled by its issue)."""
