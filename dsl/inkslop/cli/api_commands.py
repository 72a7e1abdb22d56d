"""The commands for the rest of InkSlop's API: `videos list|get|download`, `publish`,
`keys list|create|revoke`, `channels`, `meta`. Each takes `--api-base` and `--api-key`, and
`--output-format text|json`. Exit status: 0 done, 1 InkSlop refused (or the script has
errors), 2 usage, configuration or network trouble."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from inkslop.api.models import PublishRequest
from inkslop.cli.api_access import (
    api_options,
    fail,
    open_client,
    print_table,
    reported_errors,
    text,
)
from inkslop.cli.options import download_progress, reject_unknown_variables, var_option

_FORMAT = click.option("--output-format", type=click.Choice(["text", "json"]), default="text",
                       show_default=True)


def _print_json(value: Any) -> None:
    """Models (or lists of them) as JSON on standard output."""
    data = [item.model_dump(mode="json") for item in value] if isinstance(value, list) \
        else value.model_dump(mode="json")
    click.echo(json.dumps(data, indent=2, ensure_ascii=False))


# ---- videos ------------------------------------------------------------------------------

@click.group()
def videos() -> None:
    """List your videos, see one's status, download a finished one."""


@videos.command(name="list")
@api_options
@_FORMAT
@click.option("--limit", type=click.IntRange(1, 100), default=20, show_default=True,
              help="How many videos (at most 100 a page).")
@click.option("--offset", type=click.IntRange(min=0), default=0, show_default=True)
@click.option("--all", "every", is_flag=True, help="Every video, page after page.")
def videos_list(api_base: str | None, api_key: str | None, output_format: str, limit: int,
                offset: int, every: bool) -> None:
    """List your videos, newest first."""
    with open_client(api_base, api_key) as client, reported_errors():
        found = list(client.iter_videos()) if every else client.list_videos(limit, offset)
    if output_format == "json":
        _print_json(found)
        return
    print_table(("TASK ID", "STATUS", "NAME", "CREATED"),
                [(v.task_id, text(v.status), text(v.video_name), text(v.created_at))
                 for v in found])


@videos.command(name="get")
@api_options
@_FORMAT
@click.argument("task_id")
def videos_get(api_base: str | None, api_key: str | None, output_format: str,
               task_id: str) -> None:
    """Show a video's status, progress and, once done, its URLs."""
    with open_client(api_base, api_key) as client, reported_errors():
        status = client.get_video(task_id)
    if output_format == "json":
        _print_json(status)
        return
    shown = {**status.model_dump(exclude_none=True, exclude={"task_id"})}
    if status.progress is not None:
        shown["progress"] = f"{status.progress:g}%"
    print_table(("task_id", status.task_id), [(name, text(value)) for name, value in shown.items()])


@videos.command(name="download")
@api_options
@click.argument("task_id")
@click.option("-o", "--output", type=click.Path(dir_okay=False),
              help="The file to write (default: TASK_ID.mp4 here).")
@click.option("--force", is_flag=True, help="Replace the file if it exists.")
def videos_download(api_base: str | None, api_key: str | None, task_id: str,
                    output: str | None, force: bool) -> None:
    """Download a finished video (resumes a broken download; writes the file only once
    it is whole)."""
    target = Path(output or f"{task_id}.mp4")
    if target.exists() and not force:
        fail(f"{target} exists; choose another --output, or --force to replace it")
    with open_client(api_base, api_key) as client, reported_errors():
        status = client.get_video(task_id)
        if status.status != "done" or not status.download_url:
            fail(f"video {task_id} is not done ({status.status}); nothing to download", 1)
        with download_progress(target.name) as progress:
            client.download(status.download_url, target, progress)
    click.echo(f"Downloaded {task_id} to {target}.", err=True)



# ---- publish -----------------------------------------------------------------------------

@click.command()
@api_options
@_FORMAT
@click.argument("task_id")
@click.option("--channel", "channel_id", type=int, required=True,
              help="The channel's id (see `inkslop channels`).")
@click.option("--title", help="The video's title (or --ai-meta).")
@click.option("--description")
@click.option("--tag", "tags", multiple=True, help="A tag; repeat for more.")
@click.option("--privacy", type=click.Choice(["public", "private", "unlisted"]))
@click.option("--ai-meta", is_flag=True, help="Let InkSlop write the title, description, tags.")
@click.option("--review", is_flag=True, help="Queue for approval in the dashboard first.")
def publish(api_base: str | None, api_key: str | None, output_format: str, task_id: str,
            channel_id: int, title: str | None, description: str | None, tags: tuple[str, ...],
            privacy: str | None, ai_meta: bool, review: bool) -> None:
    """Publish a finished video to a connected YouTube or TikTok channel."""
    request = PublishRequest(channel_id=channel_id, title=title, description=description,
                             tags=list(tags) or None, privacy=privacy,
                             ai_generate_meta=ai_meta or None,
                             review_before_publish=review or None)
    with open_client(api_base, api_key) as client, reported_errors():
        result = client.publish_video(task_id, request)
    if output_format == "json":
        _print_json(result)
    else:
        click.echo(f"Publishing {task_id} to {result.platform}: job {result.job_id} "
                   f"({result.status}).")


# ---- keys --------------------------------------------------------------------------------

@click.group()
def keys() -> None:
    """List, create or revoke API keys."""


@keys.command(name="list")
@api_options
@_FORMAT
def keys_list(api_base: str | None, api_key: str | None, output_format: str) -> None:
    """List the account's API keys (never their secrets)."""
    with open_client(api_base, api_key) as client, reported_errors():
        found = client.list_keys()
    if output_format == "json":
        _print_json(found)
        return
    print_table(("KEY ID", "NAME", "CREATED", "LAST USED", "REVOKED"),
                [(k.key_id, k.name, k.created_at, text(k.last_used_at), text(k.revoked))
                 for k in found])


@keys.command(name="create")
@api_options
@_FORMAT
@click.argument("name")
def keys_create(api_base: str | None, api_key: str | None, output_format: str,
                name: str) -> None:
    """Create an API key. Its secret is printed this once, on standard output: store it
    (`inkslop auth login` reads it from standard input)."""
    with open_client(api_base, api_key) as client, reported_errors():
        created = client.create_key(name)
    if output_format == "json":
        click.echo(json.dumps(created.model_dump(mode="json"), indent=2, ensure_ascii=False))
        return
    click.echo(f"Created key {created.key_id} ({created.name}). Its secret, shown only now:",
               err=True)
    click.echo(created.api_key)


@keys.command(name="revoke")
@api_options
@_FORMAT
@click.argument("key_id")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def keys_revoke(api_base: str | None, api_key: str | None, output_format: str, key_id: str,
                yes: bool) -> None:
    """Revoke an API key: it stops working at once."""
    if not yes and not click.confirm(f"Revoke key {key_id}? Whatever uses it stops working",
                                     err=True):
        fail("not revoked", 1)
    with open_client(api_base, api_key) as client, reported_errors():
        result = client.revoke_key(key_id)
    if output_format == "json":
        _print_json(result)
    else:
        click.echo(f"Revoked key {result.key_id}.")


# ---- channels ----------------------------------------------------------------------------

@click.command()
@api_options
@_FORMAT
def channels(api_base: str | None, api_key: str | None, output_format: str) -> None:
    """List the YouTube and TikTok channels connected in the dashboard."""
    with open_client(api_base, api_key) as client, reported_errors():
        found = client.list_channels()
    if output_format == "json":
        _print_json(found)
        return
    print_table(("ID", "PLATFORM", "ACCOUNT", "CHANNEL ID", "OAUTH"),
                [(str(c.id), c.platform, text(c.account_name), text(c.channel_id),
                  text(c.is_oauth)) for c in found])


# ---- meta --------------------------------------------------------------------------------

@click.command()
@api_options
@_FORMAT
@click.argument("path", type=click.Path())
@click.option("--platform", type=click.Choice(["youtube", "tiktok"]), default="youtube",
              show_default=True, help="youtube: 10 tags, a longer description; tiktok: 5.")
@var_option("A variable's value (overrides the front matter).")
def meta(api_base: str | None, api_key: str | None, output_format: str, path: str,
         platform: str, variables: dict[str, str]) -> None:
    """Have InkSlop write a title, description and tags for a script (compiled first)."""
    script = _compiled(path, variables)
    near = None if path == "-" else Path(path).resolve()  # `[api] account` from its folder
    with open_client(api_base, api_key, near=near) as client, reported_errors():
        result = client.generate_meta(script, platform)
    if output_format == "json":
        _print_json(result)
        return
    click.echo(f"title: {result.title}")
    click.echo(f"description: {result.description}")
    click.echo(f"tags: {', '.join(result.tags)}")


def _compiled(path: str, variables: dict[str, str]) -> str:
    """The script as InkSlop receives it; exit 1 with its diagnostics when it has errors."""
    # Only `meta` reads a script: the other API commands never load the parser.
    from inkslop.cli.compile_command import report_compile_errors
    from inkslop.cli.inputs import InputError, Reader, one_source
    from inkslop.compile.compiler import CompileError, compile_document
    from inkslop.syntax.parser import parse
    from inkslop.syntax.values import variable_names

    given = variables
    try:
        script = Reader().read(one_source(path))
    except InputError as error:
        fail(str(error))
    text_, settings = script.text, script.settings
    document = parse(text_, settings.schema)
    reject_unknown_variables(given, variable_names(document))
    try:
        return compile_document(document, given, settings)
    except CompileError as error:
        problems = error.diagnostics
    report_compile_errors(document, problems, path, None)  # exits 1
    raise SystemExit(1)
