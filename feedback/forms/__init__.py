"""The feedback app's forms, one module per group of pages."""
