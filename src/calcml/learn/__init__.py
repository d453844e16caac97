"""calcml.learn (see ../shared/DESIGN.md)."""
