"""The textbook techniques, grouped by family; `registry.TECHNIQUES` lists them in order."""
