"""CLI verbs for backprop (filled by its issue)."""
