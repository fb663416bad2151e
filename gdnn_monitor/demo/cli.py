"""The `gdnn-monitor demo` command."""

from __future__ import annotations

import click


@click.command("demo")
@click.option("--host", default="127.0.0.1", show_default=True, help="Địa chỉ web (listen address).")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535), help="Cổng web (port).")
def demo_command(host: str, port: int) -> None:
    """Chạy thử toàn bộ sản phẩm trên máy, không cần Internet. Offline demo with its own database.

    Dựng vài trang tin mẫu trên 127.0.0.x, thu thập và phân loại vào cơ sở dữ liệu demo riêng, tạo tài khoản mẫu
    và mở ứng dụng web. Ctrl-C để dừng; cơ sở dữ liệu thật không bị động đến.
    """
    import uvicorn

    from gdnn_monitor.core.settings import get_settings
    from gdnn_monitor.demo.run import DEMO_USER, prepare_demo
    from gdnn_monitor.demo.server import AnnouncingServer
    from web.app import create_app
    from web.cli import check_port_free

    check_port_free(host, port)
    setup = prepare_demo(get_settings().data_dir)
    click.echo(f"Cơ sở dữ liệu demo: {setup.database_url} — {setup.items} tin/bài, {setup.classified} đã phân loại.")

    def announce() -> None:
        click.secho(f"\nMở trình duyệt: http://{host}:{port}/", bold=True)
        click.secho(f"Tài khoản duyệt tin mẫu: {DEMO_USER} / mật khẩu: {setup.password}\n", bold=True)
        click.echo("Nhấn Ctrl-C để dừng (press Ctrl-C to stop).")

    config = uvicorn.Config(create_app(), host=host, port=port, log_level="warning", proxy_headers=False)
    try:
        AnnouncingServer(config, announce).run()
    except KeyboardInterrupt:  # uvicorn re-raises the Ctrl-C it has already handled by shutting down cleanly
        pass
    click.echo("Đã dừng bản demo. Cơ sở dữ liệu thật không thay đổi.")
