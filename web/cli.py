"""Commands of the web area: serve, users, report, targets (registered in gdnn_monitor/cli.py)."""

from __future__ import annotations

import errno
import socket
import sys
from pathlib import Path

import click

from gdnn_monitor.core.errors import EXIT_PORT_IN_USE, EXIT_USAGE, UserError
from gdnn_monitor.core.vocabulary import METRICS


def check_port_free(host: str, port: int) -> None:
    """Fail early with a clear message instead of uvicorn's traceback when something already listens there."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            if exc.errno in (errno.EADDRINUSE, errno.EACCES):
                raise UserError(
                    f"Cổng {port} trên {host} đang được dùng hoặc không được phép (port in use). "
                    f"Chọn cổng khác: gdnn-monitor serve --port {port + 1}",
                    EXIT_PORT_IN_USE,
                ) from exc
            raise UserError(f"Không mở được {host}:{port}: {exc.strerror}", EXIT_PORT_IN_USE) from exc


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Địa chỉ lắng nghe (listen address).")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535), help="Cổng (port).")
def serve(host: str, port: int) -> None:
    """Chạy ứng dụng web (duyệt tin, tổng quan, báo cáo). Starts the web app."""
    import uvicorn

    from gdnn_monitor.core.settings import get_settings
    from store.db import get_engine
    from web.app import create_app

    get_engine()
    check_port_free(host, port)
    app = create_app()
    proxies = get_settings().trusted_proxies
    click.echo(f"Ứng dụng web: http://{host}:{port}/  (Ctrl-C để dừng)")
    # Client addresses (the login lock is per address) come from X-Forwarded-For only when a trusted reverse proxy
    # sent it; anyone else could write that header to dodge the lock.
    uvicorn.run(app, host=host, port=port, log_level="info", proxy_headers=bool(proxies), forwarded_allow_ips=proxies)


@click.group("users")
def users() -> None:
    """Tài khoản người dùng web. Web-app accounts."""


def _interactive() -> bool:
    return sys.stdin.isatty()


def _read_password() -> str:
    """Asked twice with hidden input on a terminal; read as one line from a pipe (scripts)."""
    if not _interactive():
        line = sys.stdin.readline().rstrip("\n")
        if not line:
            raise UserError("Cần mật khẩu: dùng --password hoặc nhập qua bàn phím (password required)", EXIT_USAGE)
        return line
    return click.prompt("Mật khẩu (password)", hide_input=True, confirmation_prompt="Nhập lại (repeat)")


@users.command("add")
@click.argument("name")
@click.option(
    "--role",
    type=click.Choice(["reviewer", "admin", "viewer"]),
    required=True,
    help="reviewer: duyệt + nhập tay; admin: + chỉ tiêu, tài khoản; viewer: chỉ xem.",
)
@click.option("--password", help="Mật khẩu; bỏ trống để được hỏi (nhập ẩn hai lần).")
def users_add(name: str, role: str, password: str | None) -> None:
    """Tạo tài khoản. Adds an account with a hashed password."""
    from store.db import session_scope
    from store.users import create_user

    password = password if password is not None else _read_password()
    with session_scope() as session:
        create_user(session, name, role, password)
    click.echo(f"Đã tạo tài khoản {name} ({role}).")


@users.command("list")
def users_list() -> None:
    """Liệt kê tài khoản. Lists accounts."""
    from store.db import session_scope
    from store.users import list_users

    with session_scope() as session:
        for user in list_users(session):
            click.echo(f"{user.username:<24} {user.role:<9} {'active' if user.active else 'disabled'}")


@users.command("passwd")
@click.argument("name")
@click.option("--password", help="Mật khẩu mới; bỏ trống để được hỏi.")
def users_passwd(name: str, password: str | None) -> None:
    """Đổi mật khẩu. Sets a new password."""
    from store.db import session_scope
    from store.users import get_user, set_password

    password = password if password is not None else _read_password()
    with session_scope() as session:
        user = get_user(session, name)
        if user is None:
            raise UserError(f"Không có tài khoản {name!r} (no such user)", EXIT_USAGE)
        set_password(session, user, password)
    click.echo(f"Đã đổi mật khẩu của {name}.")


@click.command("report")
@click.option("--month", help="Tháng, dạng YYYY-MM (ví dụ 2024-05).")
@click.option("--year", type=int, help="Năm, cho báo cáo cả năm (ví dụ 2024).")
@click.option("--format", "fmt", type=click.Choice(["xlsx", "csv"]), default="xlsx", show_default=True)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Tệp kết quả (mặc định: bao-cao-gdnn-<kỳ>.<định dạng> trong thư mục hiện tại).",
)
def report(month: str | None, year: int | None, fmt: str, output: Path | None) -> None:
    """Xuất báo cáo tháng/năm (CSV hoặc XLSX). Exports the monthly or annual report."""
    from gdnn_monitor.core.console import stage
    from gdnn_monitor.core.dates import parse_month
    from gdnn_monitor.core.settings import get_settings
    from store.db import session_scope
    from web.report_files import Period, build_report, render_report, report_filename

    if bool(month) == bool(year):
        raise UserError("Cần đúng một trong --month YYYY-MM hoặc --year YYYY (give --month or --year)", EXIT_USAGE)
    period = Period(*parse_month(month)) if month else Period(year)
    settings = get_settings()
    with stage(f"Đang tổng hợp số liệu {period.title}"), session_scope() as session:
        data = build_report(session, period, settings.count_syndicated, settings.tz)
    with stage(f"Đang tạo tệp {fmt.upper()} ({data.summary.total.placements} lượt đăng)"):
        content = render_report(data, fmt, settings.tz)
    target = output or Path(report_filename(period, fmt))
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
    except OSError as exc:
        raise UserError(f"Không ghi được {target}: {exc.strerror}") from exc
    total = data.summary.total
    click.echo(
        f"Báo cáo {period.title}: {total.counted} tính vào chỉ tiêu, {total.placements} lượt đăng, "
        f"{total.unique_stories} câu chuyện → {target}"
    )


@click.group("targets")
def targets() -> None:
    """Chỉ tiêu năm của kế hoạch truyền thông. Yearly plan targets."""


@targets.command("set")
@click.option("--year", type=int, required=True)
@click.option(
    "--metric",
    type=click.Choice(list(METRICS)),
    required=True,
    help="tin_bai: tin/bài; san_pham: sản phẩm truyền thông; su_kien: sự kiện.",
)
@click.option("--target", type=click.IntRange(min=0), required=True)
def targets_set(year: int, metric: str, target: int) -> None:
    """Đặt chỉ tiêu cho một năm. Sets one yearly target."""
    from store.db import session_scope
    from store.reports import set_target

    with session_scope() as session:
        set_target(session, year, metric, target)
    click.echo(f"Chỉ tiêu {metric} năm {year}: {target}")


@targets.command("list")
@click.option("--year", type=int)
def targets_list(year: int | None) -> None:
    """Liệt kê chỉ tiêu. Lists targets."""
    from store.db import session_scope
    from store.reports import list_targets

    with session_scope() as session:
        rows = list_targets(session, year)
        for row in rows:
            click.echo(f"{row.year}  {row.metric:<9} {row.target:>8}  {METRICS.get(row.metric, '')}")
    if not rows:
        click.echo("Chưa có chỉ tiêu nào (no targets).")


COMMANDS = (serve, users, report, targets)
