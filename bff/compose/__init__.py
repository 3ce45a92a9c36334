"""Pure composition: wire models in, frontend models out. No I/O, no async, no logging."""
