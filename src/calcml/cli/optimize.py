"""CLI verbs for optimize (filled by its issue)."""
