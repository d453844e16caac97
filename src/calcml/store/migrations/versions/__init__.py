"""Revisions, oldest first: 0001 baseline (the tables of calcml 0.1.0), 0002 engine cache,
0003 accounts and classes."""
