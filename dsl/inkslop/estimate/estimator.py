"""How long a script runs and what it costs: every block's duration and place on the timeline.

    >>> from inkslop.syntax.parser import parse
    >>> result = estimate(parse('[tts engine="kokoro_tts" voice="af_heart"]\\nHi!\\n[/tts]\\n'))
    >>> result.blocks[0].spoken, result.estimated_duration
    ('Hi!', 1.3)

The rules:

- a narrated block (`tts`, or any tag the schema marks narrated) lasts as long as its
  engine takes to say its text (inkslop.estimate.duration_model), variables filled from `values`
  (a variable without a value counts as one average word, with a warning);
- blocks follow one another in document order;
- any other block (`music`) lasts as long as what it holds: it starts where its first
  narration starts and ends where its last one ends; with none it lasts 0 s;
- text outside narrated blocks says nothing; a narrated block inside another narrated
  block is part of the outer one's text, not counted again.

Credits are seconds times the credit rate. The walk is iterative, and nothing slow runs
here: an editor estimates on every keystroke.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from inkslop.config.settings import default_settings
from inkslop.estimate.duration_model import DurationModel, DurationModelError
from inkslop.schema.spec import Schema, default_schema
from inkslop.syntax.ast import Block, Document, Variable, narrated_text, walk
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


def estimate(document: Document, *, model: DurationModel | None = None,
             credit_rate: float | None = None, values: dict[str, Any] | None = None,
             schema: Schema | None = None) -> Estimate:
    """Estimate `document` with `model` (the shipped one by default), `credit_rate` credits a
    second (CREDITS_PER_SECOND by default), variables from `values`, tags from `schema`."""
    model = model or DurationModel.load()
    schema = schema or default_schema()
    rate = CREDITS_PER_SECOND if credit_rate is None else credit_rate
    narrated = {name for name, spec in schema.tags.items() if spec.narrated}
    timeline = _Timeline(model, schema, values)
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
                      given: dict[str, Any] | None = None) -> Estimate:
    """`estimate` with a project's settings: its schema, credit rate and model overrides;
    variables from the front matter's `[vars]`, then `given`."""
    settings = settings or default_settings()
    model, problem = _model_with(settings.duration_model)
    result = estimate(document, model=model, credit_rate=settings.credit_rate,
                      values=document_values(document, given), schema=settings.schema)
    if problem:
        result.warnings.insert(0, problem)
    return result


_MODELS: dict[str, tuple[DurationModel, str | None]] = {}


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

    def __init__(self, model: DurationModel, schema: Schema,
                 values: dict[str, Any] | None) -> None:
        self.model, self.schema, self.values = model, schema, values
        self.cursor = 0.0
        self.blocks: list[BlockEstimate] = []
        self.warnings: list[str] = []
        # Running totals of narrated words, spoken characters and chunks: a container's
        # totals are the difference between its closing and its opening (no rescans).
        self._totals = (0, 0, 0)
        self._open: dict[int, tuple[int, tuple[int, int, int]]] = {}  # id -> index, totals

    def narrate(self, block: Block) -> None:
        text = self._text(block)
        engine = self._attribute(block, "engine")
        voice = self._attribute(block, "voice")
        speed = self._speed(block)
        speech = self.model.speech(text, engine, voice, speed)
        self.warnings += speech.warnings  # about the engine: said once, not per block
        entry = self._add(block, engine, voice, speed, len(text.split()),
                          speech.analysis.spoken, speech.analysis.chunks, speech.seconds)
        words, characters, chunks = self._totals
        self._totals = (words + entry.words, characters + entry.spoken_characters,
                        chunks + entry.chunks)

    def open(self, block: Block) -> None:
        self._open[id(block)] = (len(self.blocks), self._totals)
        self._add(block, None, None, None, 0, "", 0, 0.0)

    def close(self, block: Block) -> None:
        index, before = self._open.pop(id(block))
        entry = self.blocks[index]
        entry.words, entry.spoken_characters, entry.chunks = (
            now - then for now, then in zip(self._totals, before))
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
        """The narration with every variable filled; one without a value is an average word."""
        values = dict(self.values or {})
        for node in walk(block):
            if isinstance(node, Variable) and node.name not in values:
                values[node.name] = AVERAGE_WORD
                self.warnings.append(f"line {node.span.line}: `{{{{ {node.name} }}}}` has no "
                                     "value: counted as one average word")
        return narrated_text(block, values)

    def _attribute(self, block: Block, name: str) -> str | None:
        attribute = block.attribute(name)
        if attribute is None or attribute.value is None:
            return None
        if not attribute.variables:
            return attribute.value
        values = self.values or {}
        return VARIABLE.sub(lambda m: str(values.get(m[1], m[0])), attribute.value)

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
