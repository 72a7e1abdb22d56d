""""Preview this block": the local engine (inkslop.speak) renders the narrated block at the
cursor to an audio file, and the client is told where it is (window/showMessage).

Offered only when the `speak` extra is installed (asked without importing it). The command
runs the engine in a worker thread, so that the server keeps answering while it speaks;
the engine loads once per server (speak.engine.shared_engine), on the first preview.
"""

from __future__ import annotations

import asyncio
import tempfile
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lsprotocol import types

from inkslop.estimate.measured import DurationCache
from inkslop.speak.errors import SpeakError
from inkslop.speak.requirements import available

if TYPE_CHECKING:
    from inkslop_lsp.scripts import Script
    from inkslop_lsp.session import Session

COMMAND = "inkslop.previewBlock"
TITLE = "Preview this block (inkslop speak)"
KIND = "source.inkslop.preview"


@cache
def speak_installed() -> bool:
    return available()


def asked(context: types.CodeActionContext) -> bool:
    """Offered when the user asks for actions (not on the automatic lightbulb as the cursor
    moves), or when the client asks for source actions by kind."""
    if context.only is not None:
        return any(KIND == o or KIND.startswith(o + ".") for o in context.only)
    return context.trigger_kind == types.CodeActionTriggerKind.Invoked


def preview_actions(script: Script, position: types.Position) -> list[types.CodeAction]:
    """The preview action for the narrated block at `position`, if any."""
    line = position.line + 1
    if not speak_installed() or _narrated_at(script, line) is None:
        return []
    return [types.CodeAction(title=TITLE, kind=KIND, command=types.Command(
        title=TITLE, command=COMMAND, arguments=[script.uri, line]))]


def _narrated_at(script: Script, line: int) -> Any:
    estimate = script.estimate
    return next((b for b in estimate.blocks if b.text and b.line <= line <= b.end_line), None)


async def execute(session: Session, uri: str, line: int) -> str | None:
    """Render the block at `line` of the open script `uri`; the path written, or None
    (the reason is shown to the user)."""
    script = session.scripts.get(uri)
    if script is None:
        session.show_message(_message(types.MessageType.Error, f"{uri} is not open"))
        return None
    try:
        path, seconds = await asyncio.to_thread(_render, script, line)
    except SpeakError as error:
        session.show_message(_message(types.MessageType.Error, f"Preview: {error}"))
        return None
    session.show_message(_message(
        types.MessageType.Info, f"Preview of line {line} ({seconds:.2f} s) written to {path}"))
    return str(path)


def _message(kind: types.MessageType, text: str) -> types.ShowMessageParams:
    return types.ShowMessageParams(type=kind, message=text)


def _render(script: Script, line: int) -> tuple[Path, float]:
    from inkslop.speak.engine import shared_engine  # numpy and onnxruntime: only to speak
    from inkslop.speak.script import render  # as above

    base = script.path.parent if script.path else Path.cwd()
    engine = shared_engine(script.settings.speak, search_from=base)
    rendering, _ = render(script.document, script.settings, None, engine, DurationCache(), base,
                          line=line)
    return rendering.write_audio(_target(script, line)), rendering.seconds


def _target(script: Script, line: int) -> Path:
    """Next to the script (`name.line7.wav`), or in the temporary folder for an unsaved one."""
    if script.path is not None and script.path.parent.is_dir():
        return script.path.with_name(f"{script.path.stem}.line{line}.wav")
    return Path(tempfile.gettempdir()) / f"inkslop-preview.line{line}.wav"
