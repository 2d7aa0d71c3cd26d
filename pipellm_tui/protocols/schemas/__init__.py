"""pydantic models of each wire format's request and response bodies, for validation only."""
