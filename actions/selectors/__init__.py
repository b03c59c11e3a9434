"""Every read of remedial actions and case escalations that is more than a .get()."""
