"""The one exception raised for input a format cannot accept, with the JSON path of the culprit.

No I/O; standard library only.
"""

from __future__ import annotations


class ProtocolError(ValueError):
    """A body that does not fit its format: not JSON, a wrong type, a missing required field.

    `path` is a JSON path such as `messages[2].content[0].type` ("" for the whole body), so the
    editor, the sandbox's 400 and the CLI can all say where the problem is.
    """

    def __init__(self, message: str, path: str = "") -> None:
        self.message = message
        self.path = path
        super().__init__(f"{path}: {message}" if path else message)
