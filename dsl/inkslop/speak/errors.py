"""The errors of local narration, typed so that a caller can print one line and stop.

Every failure a user can cause or fix (an extra not installed, an engine file missing or
corrupt, an unknown voice, a download refused) is one of these, with a message that says
what is wrong and what to run. Nothing here imports anything heavy: `check`, the CLI and
the language server catch these without loading the engine.
"""

from __future__ import annotations

INSTALL_EXTRA = "pip install 'inkslop[speak]'"


class SpeakError(Exception):
    """Base class: anything that stops local narration, with a message meant for a person."""


class SpeakUnavailable(SpeakError):
    """The optional extra is not installed (a package it needs cannot be imported)."""

    def __init__(self, missing: list[str]) -> None:
        self.missing = list(missing)
        names = ", ".join(self.missing)
        super().__init__(
            f"local narration needs packages that are not installed ({names}); "
            f"install them with: {INSTALL_EXTRA}"
        )


class EngineFilesError(SpeakError):
    """An engine file (model or voice pack) is missing, unreadable or not the expected one."""

    def __init__(self, message: str, *, path: str | None = None, hint: str | None = None) -> None:
        self.path, self.hint = path, hint
        text = message if path is None else f"{path}: {message}"
        if hint:
            text = f"{text}\n  {hint}"
        super().__init__(text)


class VoiceError(SpeakError):
    """A voice name that the engine does not have, or whose language it cannot speak yet."""


class DownloadError(EngineFilesError):
    """`install()` could not fetch a file, or fetched one whose sha256 is wrong."""
