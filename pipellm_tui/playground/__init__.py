"""The playground's Textual-free core: what a user can do, for both faces (the TUI and the headless
commands). Nothing here imports Textual or Rich (tests/test_layers.py)."""
