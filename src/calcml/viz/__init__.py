"""calcml.viz (see ../shared/DESIGN.md)."""
