"""calcml.optim (see ../shared/DESIGN.md)."""
