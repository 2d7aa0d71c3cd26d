"""pipellm-tui: a terminal playground for the PipeLLM API."""

__version__ = "0.1.0"
