"""CLI verbs for course (filled by its issue)."""
