"""Thin async handlers: parse and validate input, fetch, compose, respond."""
