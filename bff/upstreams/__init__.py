"""Clients for the upstream standards; one module per standard, `base` for what they share."""
