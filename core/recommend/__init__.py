"""Product recommendations."""
