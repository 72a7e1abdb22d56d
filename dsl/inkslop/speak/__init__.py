"""Local narration: Kokoro-82M on the author's machine, exact durations, audio and subtitles.

The package is importable without the `speak` extra; its light modules (errors, files,
subtitles, paths) use the stdlib only. Measured durations are recorded in
`inkslop.estimate.measured`, below `lint`, so that `check` reads them without this package.
The modules that need the extra (engine, g2p, chunks, audio, render) raise
`SpeakUnavailable`, whose message is the exact `pip install 'inkslop[speak]'` line, when
it is missing. Nothing here prints or exits: the CLI and the language server do.

    files.locate() / files.install()  -> the model and voice packs, verified
    engine.KokoroEngine               -> synthesize(text, voice, speed) / measure(...)
    estimate.measured.DurationCache   -> measured durations by content (stdlib, for check)
    render.speak_segments(...)        -> a whole timeline's audio and subtitle cues
"""

from inkslop.speak.errors import (
    INSTALL_EXTRA,
    DownloadError,
    EngineFilesError,
    SpeakError,
    SpeakUnavailable,
    VoiceError,
)
from inkslop.speak.requirements import available

__all__ = [
    "INSTALL_EXTRA",
    "DownloadError",
    "EngineFilesError",
    "SpeakError",
    "SpeakUnavailable",
    "VoiceError",
    "available",
]
