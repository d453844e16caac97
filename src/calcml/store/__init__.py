"""calcml.store (see ../shared/DESIGN.md)."""
