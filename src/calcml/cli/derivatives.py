"""CLI verbs for derivatives (filled by its issue)."""
