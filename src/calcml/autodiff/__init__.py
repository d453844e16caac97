"""calcml.autodiff (see ../shared/DESIGN.md)."""
