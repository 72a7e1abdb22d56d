"""The pydantic model of a project's configuration (see inkslop.config)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

Severity = Literal["error", "warning", "info"]


class FormatModel(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    indent: int = Field(0, ge=0, le=8)
    line_ending: Literal["auto", "lf", "crlf"] = Field("auto", alias="line-ending")


class EstimateModel(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    credit_rate: float | None = Field(None, gt=0, alias="credit-rate")
    max_seconds: float | None = Field(None, gt=0, alias="max-seconds")
    # Merged over the shipped duration model (dsl/inkslop/estimate/duration_model.json).
    model: dict[str, Any] = {}


class ConfigModel(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    select: list[str] | None = None
    ignore: list[str] = []
    severity: dict[str, Severity] = {}
    music_library: list[str] = Field(default_factory=list, alias="music-library")
    schema_: dict[str, Any] = Field(default_factory=dict, alias="schema")
    format: FormatModel = Field(default_factory=FormatModel)
    estimate: EstimateModel = Field(default_factory=EstimateModel)
