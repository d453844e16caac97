"""calcml.symbolic (see ../shared/DESIGN.md)."""
