"""CLI verbs for figures (filled by its issue)."""
