"""The `gdnn-monitor` command. Each area defines its commands in its own module; this file only assembles them
and turns the errors a user can fix into a clear message and an exit code (never a traceback)."""

from __future__ import annotations

import json

import click
from pydantic import ValidationError

from gdnn_monitor import __version__
from gdnn_monitor.core.errors import EXIT_CONFIG, EXIT_DATABASE, NotBuiltError, UserError


def _settings_message(exc: ValidationError) -> str:
    """One line per bad GDNN_* variable, named as the user typed it."""
    lines = [f"GDNN_{'_'.join(map(str, e['loc'])).upper()}: {e['msg']}" for e in exc.errors()]
    return "Cấu hình không hợp lệ (invalid settings):\n  " + "\n  ".join(lines)


class FriendlyGroup(click.Group):
    """Prints user errors as one clear message with the documented exit code."""

    def invoke(self, ctx: click.Context):
        from store.db import DatabaseError
        from store.registry import SourcesFileError

        try:
            return super().invoke(ctx)
        except UserError as exc:
            click.secho(f"Lỗi: {exc}", fg="red", err=True)
            ctx.exit(exc.exit_code)
        except ValidationError as exc:
            if exc.title != "Settings":  # only a bad GDNN_* value is the user's to fix; anything else is a bug
                raise
            click.secho(f"Lỗi: {_settings_message(exc)}", fg="red", err=True)
            ctx.exit(EXIT_CONFIG)
        except SourcesFileError as exc:
            click.secho(f"Lỗi trong tệp nguồn (sources file error):\n{exc}", fg="red", err=True)
            ctx.exit(EXIT_CONFIG)
        except DatabaseError as exc:
            click.secho(
                f"Lỗi cơ sở dữ liệu (database error): {exc}\nKiểm tra GDNN_DATABASE_URL (check GDNN_DATABASE_URL).",
                fg="red",
                err=True,
            )
            ctx.exit(EXIT_DATABASE)


@click.group(cls=FriendlyGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 110})
@click.version_option(__version__, prog_name="gdnn-monitor")
def cli() -> None:
    """Theo dõi tin, bài về giáo dục nghề nghiệp (GDNN) trên báo chí và mạng xã hội.

    Monitors press and social-media coverage of vocational education for a province's communication plan.
    """


def not_built(name: str, issue: int) -> click.Command:
    """A command whose capability is not built yet: it says so and exits non-zero, never pretends."""

    @click.command(
        name,
        context_settings={"ignore_unknown_options": True, "allow_extra_args": True},
        help=f"(Chưa xây dựng — not built yet, issue #{issue})",
    )
    def command() -> None:
        raise NotBuiltError(f"lệnh '{name}' chưa được xây dựng (not built yet; issue #{issue}).")

    return command


@cli.command()
def init() -> None:
    """Tạo/cập nhật cơ sở dữ liệu và nạp danh sách nguồn. Creates or migrates the database and loads the sources."""
    from gdnn_monitor.core.settings import get_settings
    from store.db import get_engine, session_scope
    from store.migrate import current_revision
    from store.registry import load_sources
    from store.sources import sync_sources

    settings = get_settings()
    registry = load_sources()
    with session_scope() as session:
        counts = sync_sources(session, registry)
    revision = current_revision(get_engine())
    click.echo(f"Cơ sở dữ liệu: {get_engine().url.render_as_string(hide_password=True)} (schema {revision})")
    click.echo(
        f"Tệp nguồn: {settings.sources} — {len(registry.sources)} nguồn, {len(registry.enabled())} đang bật "
        f"(thêm {counts['added']}, cập nhật {counts['updated']}, tắt {counts['disabled']})"
    )


@cli.command("items")
@click.option("--format", "fmt", type=click.Choice(["jsonl", "table"]), default="jsonl", show_default=True)
@click.option("--since", help="Từ ngày (YYYY-MM-DD), theo giờ địa phương.")
@click.option("--until", help="Đến hết ngày (YYYY-MM-DD).")
def items_command(fmt: str, since: str | None, until: str | None) -> None:
    """In các tin/bài đã lưu (mỗi dòng một JSON). Prints stored items, one JSON object per line."""
    from gdnn_monitor.core.dates import end_of_day, parse_day, start_of_day
    from gdnn_monitor.core.settings import get_settings
    from store.db import session_scope
    from store.export import item_record, item_time, iter_items

    tz = get_settings().tz
    start = start_of_day(parse_day(since), tz) if since else None
    end = end_of_day(parse_day(until), tz) if until else None
    out = click.get_text_stream("stdout")  # type: ignore[operator]  # click 8.2 stubs: module __getattr__
    with session_scope() as session:
        for item in iter_items(session, start, end):
            if fmt == "jsonl":
                out.write(json.dumps(item_record(item, tz), ensure_ascii=False) + "\n")
            else:
                when = item_time(item).astimezone(tz).strftime("%d/%m/%Y %H:%M")
                mark = "✓" if item.review == "confirmed" else ("✗" if item.review == "rejected" else " ")
                out.write(f"{when}  {mark} {item.source_id:<20} {item.title[:80]}\n")


@cli.group()
def sources() -> None:
    """Danh sách nguồn và tình trạng. Sources and their health."""


@sources.command("list")
@click.option("--all", "show_all", is_flag=True, help="Hiện cả nguồn đang tắt (show disabled sources too).")
def sources_list(show_all: bool) -> None:
    """Liệt kê các nguồn trong tệp nguồn cùng tình trạng thu thập. Lists sources with their health."""
    from gdnn_monitor.pipeline.health import print_sources_table

    print_sources_table(show_all=show_all)


def _register_area_commands() -> None:
    """Attach the commands each area defines in its own module."""
    from classifier.cli import classifier_group, classify_command
    from crawlers.check import check_command
    from gdnn_monitor.crawl_cli import crawl_command
    from gdnn_monitor.demo.cli import demo_command
    from scheduler import schedule_command
    from web.cli import COMMANDS as web_commands

    for command in (crawl_command, classify_command, classifier_group, schedule_command, demo_command, *web_commands):
        cli.add_command(command)
    sources.add_command(check_command)


_register_area_commands()


def main() -> None:
    cli.main(prog_name="gdnn-monitor")


if __name__ == "__main__":
    main()
