"""calcml.ml (see ../shared/DESIGN.md)."""
