"""The InkSlop API's requests and responses, as pydantic models.

Field names and meanings follow InkSlop's API documentation. Requests are
strict (what we send must be right); responses accept fields the
documentation does not list, so that a new field on InkSlop's side never
breaks a client. The video request itself is inkslop.schema.request.VideoRequest,
the same model a script's front matter is validated against.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from inkslop.schema.request import PublishSettings, VideoRequest

__all__ = [
    "Channel",
    "KeyCreated",
    "KeyInfo",
    "KeyRevoked",
    "MetaRequest",
    "MetaResult",
    "PublishRequest",
    "PublishResult",
    "PublishSettings",
    "TaskCreated",
    "TaskStatus",
    "VideoRequest",
    "VideoStatus",
    "VideoSummary",
]

TaskStatus = Literal["pending", "processing", "done", "error"]
Platform = Literal["youtube", "tiktok"]


class _Response(BaseModel):
    model_config = ConfigDict(extra="allow")


class _Request(BaseModel):
    model_config = ConfigDict(extra="forbid")


class KeyCreate(_Request):
    name: str = Field(min_length=1)


class KeyCreated(_Response):
    """`POST /keys`: the key itself is returned only this once."""

    key_id: str
    name: str
    api_key: str = Field(repr=False)
    created_at: str


class KeyInfo(_Response):
    key_id: str
    name: str
    created_at: str
    last_used_at: str | None = None
    revoked: bool = False


class KeyRevoked(_Response):
    revoked: bool
    key_id: str


class Channel(_Response):
    id: int
    platform: str
    account_name: str | None = None
    channel_id: str | None = None
    is_oauth: bool | None = None


class TaskCreated(_Response):
    task_id: str
    status: TaskStatus = "pending"


class VideoStatus(_Response):
    """`GET /videos/{task_id}`."""

    task_id: str
    status: TaskStatus
    progress: float | None = None
    message: str | None = None
    video_url: str | None = None
    download_url: str | None = None
    credits_used: float | None = None
    duration_seconds: float | None = None
    user_file_id: int | None = None

    @property
    def finished(self) -> bool:
        return self.status in ("done", "error")


class VideoSummary(_Response):
    """An item of `GET /videos` (the documentation does not list its fields; these are the
    ones the toolkit relies on, all optional but the task id)."""

    task_id: str
    status: TaskStatus | None = None
    video_name: str | None = None
    created_at: str | None = None


class PublishRequest(_Request):
    """`POST /videos/{task_id}/publish`."""

    channel_id: int
    title: str | None = None
    description: str | None = None
    tags: list[str] | None = None
    privacy: Literal["public", "private", "unlisted"] | None = None
    ai_generate_meta: bool | None = None
    review_before_publish: bool | None = None


class PublishResult(_Response):
    platform: str
    job_id: int
    status: str


class MetaRequest(_Request):
    script: str
    platform: Platform = "youtube"


class MetaResult(_Response):
    title: str
    description: str
    tags: list[str]


class ErrorBody(_Response):
    """Every error: `{"detail": "..."}`."""

    detail: str | list | dict | None = None
