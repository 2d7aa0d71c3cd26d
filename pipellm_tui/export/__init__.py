"""Requests taken out of the playground: as a curl command (`curl.py`), to the clipboard
(`clipboard.py`). The API key is never written out: the command reads it from an environment
variable. Imports the standard library, protocols and pyperclip only (a test enforces it).
"""
