"""The pydantic model of a project's configuration (see inkslop.config)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

Severity = Literal["error", "warning", "info"]


class FormatModel(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    indent: int = Field(0, ge=0, le=8)
    line_ending: Literal["auto", "lf", "crlf"] = Field("auto", alias="line-ending")


class EstimateModel(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    credit_rate: float | None = Field(None, gt=0, alias="credit-rate")
    # None: the default limit (settings.DEFAULT_MAX_SECONDS); false: no limit.
    max_seconds: float | Literal[False] | None = Field(None, alias="max-seconds")
    # Merged over the shipped duration model (dsl/inkslop/estimate/duration_model.json).
    model: dict[str, Any] = {}
    # "kokoro": `estimate` measures every block with the local engine (inkslop.speak).
    engine: Literal["model", "kokoro"] = "model"

    @field_validator("max_seconds", mode="before")
    @classmethod
    def _seconds_or_false(cls, value: Any) -> Any:
        if value is True or (not isinstance(value, bool) and isinstance(value, int | float)
                             and value <= 0):
            raise ValueError("write a number of seconds above 0, or false for no limit")
        return value


class SubmitModel(BaseModel):
    """`[submit]`: what the preflight of every paid request lets through."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    # true: every warning; a list: only these codes (or prefixes).
    allow_warnings: bool | list[str] = Field(False, alias="allow-warnings")
    max_credits: float | None = Field(None, gt=0, alias="max-credits")


class SpeakModel(BaseModel):
    """`[speak]`: the local engine's files (paths relative to the configuration file) and
    where `inkslop speak --install` downloads them from."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    model: str | None = Field(None, min_length=1)
    voices: str | None = Field(None, min_length=1)
    url: str | None = Field(None, min_length=1)


class ApiModel(BaseModel):
    """`[api]`: which InkSlop account the client's rate limits are counted for."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    account: str | None = Field(None, min_length=1, max_length=100)


class ConfigModel(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    select: list[str] | None = None
    ignore: list[str] = []
    severity: dict[str, Severity] = {}
    music_library: list[str] = Field(default_factory=list, alias="music-library")
    schema_: dict[str, Any] = Field(default_factory=dict, alias="schema")
    format: FormatModel = Field(default_factory=FormatModel)
    estimate: EstimateModel = Field(default_factory=EstimateModel)
    submit: SubmitModel = Field(default_factory=SubmitModel)
    api: ApiModel = Field(default_factory=ApiModel)
    speak: SpeakModel = Field(default_factory=SpeakModel)
