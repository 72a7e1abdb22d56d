"""The tag schema at run time: tags, attributes, engines, voices, with their marks.

The source is `grammars/schema.toml`; the build validates it with pydantic
(`inkslop.schema.model`) and ships it as JSON, which loads in a fraction of a
millisecond on the path of `inkslop check`. A project's configuration can
extend or override any part of it (`Schema.extended`), validated the same way.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from inkslop.schema.resources import compiled_schema_path

CONFIRMED, ASSUMED, TOOLKIT = "confirmed", "assumed", "toolkit"
MARKS = (CONFIRMED, ASSUMED, TOOLKIT)
DOCUMENT = "document"  # the top level, as a parent in `parents`


@dataclass(slots=True)
class AttributeSpec:
    name: str
    type: str
    mark: str
    doc: str = ""
    required: bool = False
    required_mark: str = ASSUMED
    enum: tuple[str, ...] = ()
    enum_mark: str = ASSUMED
    min: float | None = None
    max: float | None = None
    range_mark: str = ASSUMED
    default: str | None = None
    default_mark: str = ASSUMED


@dataclass(slots=True)
class TagSpec:
    name: str
    mark: str
    content: str
    parents: tuple[str, ...]
    attributes: dict[str, AttributeSpec]
    summary: str = ""
    doc: str = ""
    example: str = ""
    content_mark: str = ASSUMED
    parents_mark: str = ASSUMED
    narrated: bool = False


@dataclass(slots=True)
class VoiceSpec:
    name: str
    language: str
    gender: str
    mark: str


@dataclass(slots=True)
class EngineSpec:
    name: str
    mark: str
    voices: dict[str, VoiceSpec]
    summary: str = ""
    doc: str = ""
    voices_mark: str = ASSUMED


@dataclass(slots=True)
class Schema:
    tags: dict[str, TagSpec]
    engines: dict[str, EngineSpec]
    music_library: tuple[str, ...] = ()
    data: dict[str, Any] = field(default_factory=dict, repr=False)

    def attribute_type(self, tag: str, attribute: str) -> str | None:
        spec = self.tags.get(tag)
        if spec is None:
            return None
        found = spec.attributes.get(attribute)
        return found.type if found else None

    def extended_data(self, overrides: dict[str, Any]) -> dict[str, Any]:
        """This schema's data with a project's tables merged over it (tables merge, values
        replace); validate it (inkslop.schema.model) before making a Schema of it."""
        return merge_tables(self.data, overrides)


def schema_from_data(data: dict[str, Any]) -> Schema:
    tags = {name: _tag(name, spec) for name, spec in data.get("tags", {}).items()}
    engines = {name: _engine(name, spec) for name, spec in data.get("engines", {}).items()}
    return Schema(tags, engines, tuple(data.get("music_library", ())), data)


def _tag(name: str, spec: dict[str, Any]) -> TagSpec:
    attributes = {
        attr: AttributeSpec(name=attr, **{k: tuple(v) if k == "enum" else v for k, v in a.items()})
        for attr, a in spec.get("attributes", {}).items()
    }
    fields = {k: v for k, v in spec.items() if k != "attributes"}
    fields["parents"] = tuple(fields.get("parents", (DOCUMENT,)))
    return TagSpec(name=name, attributes=attributes, **fields)


def _engine(name: str, spec: dict[str, Any]) -> EngineSpec:
    voices = {v: VoiceSpec(name=v, **s) for v, s in spec.get("voices", {}).items()}
    fields = {k: v for k, v in spec.items() if k != "voices"}
    return EngineSpec(name=name, voices=voices, **fields)


def merge_tables(base: dict[str, Any], overrides: dict[str, Any]) -> dict[str, Any]:
    """`base` with `overrides` over it: tables merge key by key, other values replace."""
    merged = dict(base)
    for key, value in overrides.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = merge_tables(merged[key], value)
        else:
            merged[key] = value
    return merged


@cache
def default_schema() -> Schema:
    """The built-in schema, as shipped."""
    with open(compiled_schema_path(), encoding="utf-8") as source:
        return schema_from_data(json.load(source))
