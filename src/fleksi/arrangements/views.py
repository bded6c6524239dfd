"""Pages of the flexible-work workflow."""
