"""What pipellm-tui keeps on disk: config, profiles, the draft request, saved requests, history.

Textual-free and HTTP-free (tests/test_layers.py): the TUI and the headless commands share it. Every
write goes through `store.atomic.write_atomic`; the key is never written here except to the one
0600 file a user asks for.
"""
