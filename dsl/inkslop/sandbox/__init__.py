"""`inkslop sandbox`: a local emulator of the InkSlop REST API, for tests and demos.

It follows InkSlop's API documentation: Bearer `isk_` keys, keys, channels, videos (checked
with the project's own parser and checker, priced with its estimator), their life cycle,
publishing, metadata, the documented errors and rate limits. It renders no video: a finished
video downloads as placeholder bytes shaped like an MP4. It adds, under `/_sandbox/` (never
under the API's base path), admin routes to read the state, move the clock and inject
faults. See docs/sandbox.md.

    from inkslop.sandbox import Sandbox
    with Sandbox(credits=10, render_seconds=5) as sandbox:
        ...  # sandbox.base_url, sandbox.key
"""

from inkslop.sandbox.faults import Faults
from inkslop.sandbox.server import NO_VIDEO, Sandbox
from inkslop.sandbox.state import StateFileError

__all__ = ["NO_VIDEO", "Faults", "Sandbox", "StateFileError"]
