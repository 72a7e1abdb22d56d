"""Pydantic models of the schema file, and its compilation to JSON.

Used when the package is built (grammars/schema.toml is validated and written
as `_schema.json`), by the tests, and when a project's configuration extends
the schema. Never imported on the plain path of `inkslop check`.
"""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

Mark = Literal["confirmed", "assumed", "toolkit"]
AttributeType = Literal["string", "number", "boolean", "engine", "voice", "path", "volume"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class AttributeModel(_Strict):
    type: AttributeType
    mark: Mark
    doc: str = ""
    required: bool = False
    required_mark: Mark = "assumed"
    enum: list[str] = []
    enum_mark: Mark = "assumed"
    min: float | None = None
    max: float | None = None
    range_mark: Mark = "assumed"
    default: str | None = None
    default_mark: Mark = "assumed"

    @model_validator(mode="after")
    def _range_is_ordered(self) -> AttributeModel:
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"min ({self.min}) is above max ({self.max})")
        return self


class TagModel(_Strict):
    mark: Mark
    content: Literal["text", "blocks", "none"]
    content_mark: Mark = "assumed"
    parents: list[str] = ["document"]
    parents_mark: Mark = "assumed"
    narrated: bool = False
    summary: str = ""
    doc: str = ""
    example: str = ""
    attributes: dict[str, AttributeModel] = {}


class VoiceModel(_Strict):
    language: str
    gender: Literal["female", "male", "other"]
    mark: Mark = "assumed"


class EngineModel(_Strict):
    mark: Mark
    voices_mark: Mark = "assumed"
    summary: str = ""
    doc: str = ""
    voices: dict[str, VoiceModel] = {}


class SchemaModel(_Strict):
    version: Literal[1] = 1
    tags: dict[str, TagModel] = Field(default_factory=dict)
    engines: dict[str, EngineModel] = Field(default_factory=dict)
    music_library: list[str] = []


def _strip(value: Any) -> Any:
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, dict):
        return {k: _strip(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_strip(v) for v in value]
    return value


def compile_schema(source: Path) -> str:
    """Validate grammars/schema.toml and return its JSON form (what ships).

    Keys keep the file's order: the formatter writes attributes in it."""
    with source.open("rb") as handle:
        data = tomllib.load(handle)
    model = SchemaModel.model_validate(_strip(data))
    return json.dumps(model.model_dump(), indent=1) + "\n"
