"""How long a script runs and what it costs: every block's duration and place on the timeline.

    >>> from inkslop.syntax.parser import parse
    >>> result = estimate(parse('[tts engine="kokoro_tts" voice="af_heart"]\\nHi!\\n[/tts]\\n'))
    >>> result.blocks[0].spoken, result.estimated_duration
    ('Hi!', 1.4)

The rules:

- a narrated block (`tts`, or any tag the schema marks narrated) lasts as long as its
  engine takes to say its text (inkslop.estimate.duration_model), variables filled from `values`
  (a variable without a value counts as one average word, with a warning);
- blocks follow one another in document order;
- any other block (`music`) lasts as long as what it holds: it starts where its first
  narration starts and ends where its last one ends; with none it lasts 0 s;
- text outside narrated blocks says nothing; a narrated block inside another narrated
  block is part of the outer one's text, not counted again;
- a tag inside narration (`[pause /]`) ends a line, as the compiler and the formatter write
  it on a line of its own; a comment is dropped where it stands and ends nothing. So
  a script and its formatted form have the same lines, the same chunks, the same estimate.

A `kokoro_tts` block that the local engine has measured (`inkslop speak`, `estimate
--engine kokoro`: inkslop.estimate.measured) takes its measured seconds instead of the
model's, and says so (`measured`).

Credits are seconds times the credit rate. The walk is iterative, and nothing slow runs
here: an editor estimates on every keystroke.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from inkslop.config.settings import default_settings
from inkslop.estimate.duration_model import DurationModel, DurationModelError
from inkslop.estimate.measured import KOKORO_ENGINE, DurationCache, speech_text, voice_or_default
from inkslop.schema.spec import Schema, default_schema
from inkslop.syntax.ast import Block, Document, Text, Variable, VoidTag
from inkslop.syntax.fences import FENCE_LINE
from inkslop.syntax.spans import Span
from inkslop.syntax.values import VARIABLE, document_values

if TYPE_CHECKING:
    from inkslop.config.settings import Settings

# Derived, not published: InkSlop's own example charges 2.3 credits for a 28.4 s video.
CREDITS_PER_SECOND = 2.3 / 28.4
# Stands for a variable without a value: 4 phonemes and 2 syllables, about an average word
# of the calibration texts (4.0 and 1.6).
AVERAGE_WORD = "about"
DEFAULT_SPEED = 1.0
# (text as measured, voice, speed) -> seconds measured by the local engine, or None.
MeasuredLookup = Callable[[str, str, float], float | None]


@dataclass(slots=True)
class BlockEstimate:
    """One block on the timeline. For a block that narrates nothing itself (`music`),
    `words`, `spoken_characters` and `chunks` total the narration it holds."""

    tag: str
    line: int
    end_line: int
    engine: str | None
    voice: str | None
    speed: float | None
    words: int  # narrated words as written
    spoken: str  # the narration as the engine says it (inkslop.estimate.spoken)
    spoken_characters: int
    chunks: int  # pieces the engine synthesizes separately, each with its own silence
    seconds: float
    start: float
    end: float
    span: Span = field(repr=False)
    # Seconds measured by the local engine (for a container: every narration it holds)
    # rather than modelled; `text` is what the engine says (speech_text), "" for containers.
    measured: bool = False
    text: str = field(default="", repr=False)


@dataclass(slots=True)
class Estimate:
    """A script's estimate: its seconds, its credits, its blocks in document order."""

    seconds: float
    credits: float
    blocks: list[BlockEstimate]
    warnings: list[str]

    @property
    def estimated_duration(self) -> float:
        """Seconds rounded up to a tenth, as InkSlop's credit pre-check takes them."""
        return math.ceil(round(self.seconds * 10, 9)) / 10


@dataclass(slots=True)
class _Narration:
    """What a narrated block says and how long the model takes to say it: what an estimate
    works out for each block, from the block alone once the model, schema and values are
    set."""

    text: str
    engine: str | None
    voice: str | None
    speed: float
    speech: Any  # the model's Speech
    said: str  # what the engine says (speech_text)


class Narrations:
    """The narration of each block of one estimate (by the block's id), for the next
    estimate of a later version: a block that an incremental parse kept, with the same
    text, says the same (estimate, `narrations`). Measured seconds are looked up again."""

    def __init__(self) -> None:
        self.setting: tuple[Any, ...] = ()  # model, schema and values
        self.text = ""  # of the document being estimated
        # By id: the block (held, so that its id is not reused), its text, its narration.
        self.earlier: dict[int, tuple[Block, str, _Narration]] = {}
        self.found: dict[int, tuple[Block, str, _Narration]] = {}

    def begin(self, model: DurationModel, schema: Schema, values: dict[str, Any] | None,
              text: str) -> None:
        """A new estimate: what the last one found is kept if made with the same setting."""
        setting = (model, schema, values)
        same = len(setting) == len(self.setting) and all(
            a is b or a == b for a, b in zip(setting, self.setting))
        self.earlier = self.found if same else {}
        self.found, self.setting, self.text = {}, setting, text

    def get(self, block: Block) -> _Narration | None:
        found = self.earlier.get(id(block))
        if found is None or found[0] is not block or \
                found[1] != self.text[block.span.start:block.span.end]:
            return None
        self.found[id(block)] = found
        return found[2]

    def put(self, block: Block, narration: _Narration) -> None:
        self.found[id(block)] = (block, self.text[block.span.start:block.span.end], narration)


def estimate(document: Document, *, model: DurationModel | None = None,
             credit_rate: float | None = None, values: dict[str, Any] | None = None,
             schema: Schema | None = None, measured: MeasuredLookup | None = None,
             narrations: Narrations | None = None) -> Estimate:
    """Estimate `document` with `model` (the shipped one by default), `credit_rate` credits a
    second (CREDITS_PER_SECOND by default), variables from `values`, tags from `schema`,
    measured seconds from `measured` where it has them; `narrations`: what an estimate of
    an earlier version worked out for the blocks it shares with this one (updated)."""
    model = model or DurationModel.load()
    schema = schema or default_schema()
    rate = CREDITS_PER_SECOND if credit_rate is None else credit_rate
    narrated = {name for name, spec in schema.tags.items() if spec.narrated}
    if narrations is not None:
        narrations.begin(model, schema, values, document.text)
    timeline = _Timeline(model, schema, values, measured, narrations)
    # (node, closing): a container is visited once to open it and once to close it.
    stack: list[tuple[Any, bool]] = [(child, False) for child in reversed(document.children)]
    while stack:
        node, closing = stack.pop()
        if not isinstance(node, Block):
            continue  # text outside narration, comments, void tags: nothing to say
        if closing:
            timeline.close(node)
        elif node.name in narrated:
            timeline.narrate(node)  # what it holds is its own text: no descent
        else:
            timeline.open(node)
            stack.append((node, True))
            stack.extend((child, False) for child in reversed(node.children))
    seconds = timeline.cursor
    warnings = list(dict.fromkeys(timeline.warnings))
    return Estimate(seconds, seconds * rate, timeline.blocks, warnings)


def estimate_document(document: Document, settings: Settings | None = None,
                      given: dict[str, Any] | None = None, *,
                      measured: MeasuredLookup | Literal["cache"] | None = "cache",
                      narrations: Narrations | None = None) -> Estimate:
    """`estimate` with a project's settings: its schema, credit rate and model overrides;
    variables from the front matter's `[vars]`, then `given`; measured seconds from
    `measured`: by default the local engine's cache (what `compile`, `submit` and `check`
    then send and judge), None for the model alone."""
    settings = settings or default_settings()
    model, problem = _model_with(settings.duration_model)
    if measured == "cache":
        cache = _default_cache()
        # Nothing measured yet (the usual case): no lookup, rather than one per block.
        measured = cache.stock_seconds if cache.may_hold_measurements() else None
    result = estimate(document, model=model, credit_rate=settings.credit_rate,
                      values=document_values(document, given), schema=settings.schema,
                      measured=measured, narrations=narrations)
    if problem:
        result.warnings.insert(0, problem)
    return result


_MODELS: dict[str, tuple[DurationModel, str | None]] = {}
_CACHES: dict[str, DurationCache] = {}


def _default_cache() -> DurationCache:
    """The user's cache of measured durations, opened once per process and folder."""
    cache = DurationCache()
    return _CACHES.setdefault(str(cache.directory), cache)


def _model_with(overrides: dict[str, Any]) -> tuple[DurationModel, str | None]:
    """The shipped model with a project's overrides (cached per overrides); when they are
    broken, the shipped model and why."""
    if not overrides:
        return DurationModel.load(), None
    key = repr(sorted(overrides.items()))
    if key not in _MODELS:
        try:
            _MODELS[key] = (DurationModel.load().with_overrides(overrides), None)
        except DurationModelError as error:
            _MODELS[key] = (DurationModel.load(),
                            f"the project's duration model is not used: {error}")
    return _MODELS[key]


class _Timeline:
    """The blocks placed so far, and where the next one starts."""

    def __init__(self, model: DurationModel, schema: Schema, values: dict[str, Any] | None,
                 measured: MeasuredLookup | None = None,
                 narrations: Narrations | None = None) -> None:
        self.model, self.schema, self.values, self.measured = model, schema, values, measured
        self.narrations = narrations
        self.cursor = 0.0
        self.blocks: list[BlockEstimate] = []
        self.warnings: list[str] = []
        # Running totals of narrated words, spoken characters, chunks and modelled blocks:
        # a container's totals are the difference between its closing and its opening.
        self._totals = (0, 0, 0, 0)
        self._open: dict[int, tuple[int, tuple[int, ...]]] = {}  # id -> index, totals

    def narrate(self, block: Block) -> None:
        found = self.narrations.get(block) if self.narrations is not None else None
        if found is None:
            found = self._narration(block)
        text, engine, voice, speed, speech, said = (
            found.text, found.engine, found.voice, found.speed, found.speech, found.said)
        self.warnings += speech.warnings  # about the engine: said once, not per block
        seconds = self._measured(engine, said, voice, speed)
        entry = self._add(block, engine, voice, speed, len(text.split()),
                          speech.analysis.spoken, speech.analysis.chunks,
                          speech.seconds if seconds is None else seconds)
        entry.measured, entry.text = seconds is not None, said
        words, characters, chunks, modelled = self._totals
        self._totals = (words + entry.words, characters + entry.spoken_characters,
                        chunks + entry.chunks, modelled + (not entry.measured))

    def _narration(self, block: Block) -> _Narration:
        """What a block says, worked out; kept for the next estimate unless it warned of
        something (a warning names the block's line, which may move)."""
        warned = len(self.warnings)
        text = self._text(block)
        engine = self._attribute(block, "engine")
        voice = self._attribute(block, "voice")
        speed = self._speed(block)
        speech = self.model.speech(text, engine, voice, speed)
        found = _Narration(text, engine, voice, speed, speech, speech_text(text))
        if self.narrations is not None and len(self.warnings) == warned:
            self.narrations.put(block, found)
        return found

    def _measured(self, engine: str | None, text: str, voice: str | None,
                  speed: float) -> float | None:
        if self.measured is None or engine != KOKORO_ENGINE or not text:
            return None
        return self.measured(text, voice_or_default(voice), speed)

    def open(self, block: Block) -> None:
        self._open[id(block)] = (len(self.blocks), self._totals)
        self._add(block, None, None, None, 0, "", 0, 0.0)

    def close(self, block: Block) -> None:
        index, before = self._open.pop(id(block))
        entry = self.blocks[index]
        entry.words, entry.spoken_characters, entry.chunks, modelled = (
            now - then for now, then in zip(self._totals, before))
        entry.measured = entry.chunks > 0 and modelled == 0
        entry.end = self.cursor
        entry.seconds = entry.end - entry.start

    def _add(self, block: Block, engine: str | None, voice: str | None, speed: float | None,
             words: int, spoken: str, chunks: int, seconds: float) -> BlockEstimate:
        start = self.cursor
        self.cursor += seconds
        self.blocks.append(BlockEstimate(
            tag=block.name, line=block.span.line, end_line=block.span.end_line, engine=engine,
            voice=voice, speed=speed, words=words, spoken=spoken,
            spoken_characters=len(spoken), chunks=chunks, seconds=seconds, start=start,
            end=self.cursor, span=block.span))
        return self.blocks[-1]

    def _text(self, block: Block) -> str:
        """The narration with every variable filled (one without a value is an average word),
        a line break for every tag inside it, opening or closing: the lines the compiler
        writes."""
        values = self.values or {}
        parts: list[str] = []
        stack: list[Any] = list(reversed(block.children))
        while stack:
            node = stack.pop()
            if isinstance(node, Text):
                parts.append(node.value)
            elif isinstance(node, Variable):
                parts.append(self._variable(node, values))
            elif isinstance(node, VoidTag) or node == "\n":
                parts.append("\n")
            elif isinstance(node, Block):
                parts.append("\n")
                stack.append("\n")  # its closing tag, once its children are done
                stack.extend(reversed(node.children))
        # Each line without the spaces at its ends, CR or CRLF a line break: as written out.
        # A code fence line is not part of the script (S018): its safe fix removes it.
        lines = "".join(parts).replace("\r\n", "\n").replace("\r", "\n").split("\n")
        return "\n".join(line.strip() for line in lines if not FENCE_LINE.fullmatch(line))

    def _variable(self, variable: Variable, values: dict[str, Any]) -> str:
        if variable.name in values:
            return str(values[variable.name])
        self.warnings.append(f"line {variable.span.line}: `{{{{ {variable.name} }}}}` has no "
                             "value: counted as one average word")
        return AVERAGE_WORD

    def _attribute(self, block: Block, name: str) -> str | None:
        attribute = block.attribute(name)
        if attribute is None or attribute.value is None:
            return None
        # The value as read (invisible characters dropped, as S021's fix does), its variables
        # filled, without spaces at its ends (as T014's fix writes it).
        values = self.values or {}
        return VARIABLE.sub(lambda m: str(values.get(m[1], m[0])), attribute.value).strip(" \t")

    def _speed(self, block: Block) -> float:
        attribute = block.attribute("speed")
        if attribute is None:
            return self._default_speed(block.name)
        if isinstance(attribute.typed, float) and not attribute.variables:
            return attribute.typed
        text = self._attribute(block, "speed")
        try:
            return float(text or "")
        except ValueError:
            self.warnings.append(f"line {block.span.line}: speed {text!r} is not a number: "
                                 f"{DEFAULT_SPEED} was used")
            return DEFAULT_SPEED

    def _default_speed(self, tag: str) -> float:
        spec = self.schema.tags.get(tag)
        found = spec.attributes.get("speed") if spec else None
        try:
            return float(found.default) if found and found.default else DEFAULT_SPEED
        except ValueError:
            return DEFAULT_SPEED
