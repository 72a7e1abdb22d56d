"""The request of `POST /api/v1/videos`, as pydantic models.

The front matter of a script is validated against these same models (so a
script's settings are exactly what the API client sends), and the client
reuses them. Field docs quote InkSlop's API documentation (confirmed).
Imported lazily: only scripts with front matter pay for pydantic.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictFloat, StrictInt, StrictStr

Resolution = Literal["9:16", "16:9"]
Privacy = Literal["public", "private", "unlisted"]
VariableValue = StrictStr | StrictInt | StrictFloat | StrictBool


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class PublishSettings(_Model):
    """Auto-publish config of a video (confirmed fields)."""

    channel_id: int = Field(description="Channel ID from GET /channels.")
    title: str | None = Field(None, description="Video title. Leave empty with ai_generate_meta.")
    description: str | None = Field(None, description="Video description.")
    tags: list[str] | None = Field(None, description="List of tag strings.")
    privacy: Privacy | None = Field(None, description="public, private, or unlisted.")
    review_before_publish: bool | None = Field(
        None, description="Queue the upload for manual approval in the dashboard.")
    ai_generate_meta: bool | None = Field(
        None, description="Use AI to generate title, description, and tags from the script.")


class RequestSettings(_Model):
    """The fields of the request that a script's front matter may set."""

    video_name: str | None = Field(None, description="Display name (no extension).")
    resolution: Resolution = Field("9:16", description='"9:16" (portrait, default) or "16:9".')
    notify_on_complete: bool | None = Field(
        None, description="Send an email when generation finishes.")
    publish: PublishSettings | None = Field(None, description="Auto-publish config.")


class FrontMatterModel(RequestSettings):
    """A script's front matter: the request settings, plus variables (toolkit)."""

    estimated_duration: float | None = Field(
        None, gt=0, description="Computed by the estimator; not to be written by hand.")
    vars: dict[str, VariableValue] = Field(default_factory=dict,
                                           description="Values for `{{ name }}` variables.")


class VideoRequest(RequestSettings):
    """The whole body of `POST /api/v1/videos`."""

    script: str = Field(description="DSL script.")
    estimated_duration: float = Field(
        30, gt=0, description="Duration hint in seconds (default 30). Used for credit pre-check.")
