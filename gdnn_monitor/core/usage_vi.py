"""Click's usage errors told in Vietnamese first, with click's English text after it in parentheses for admins.

Click builds its messages in English; rather than patching its internals, the finished message is matched against
the handful of forms click 8 writes (unknown option or command, missing option/argument, bad value) and retold.
"""

from __future__ import annotations

import re

import click

_VALUE_FORMS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^(?P<value>.+?) is not one of (?P<choices>.+?)\.?$"), "{value} không thuộc các giá trị {choices}"),
    (re.compile(r"^(?P<value>.+?) is not (?P<choices>'[^']*')\.?$"), "{value} không phải {choices}"),
    (re.compile(r"^(?P<value>.+?) is not a valid integer( range)?\.?$"), "{value} không phải số nguyên"),
    (re.compile(r"^(?P<value>.+?) is not a valid float( range)?\.?$"), "{value} không phải một số"),
    (re.compile(r"^(?P<value>.+?) is not a valid boolean\.?$"), "{value} không phải có/không (true/false)"),
    (
        re.compile(r"^(?P<value>.+?) is not in the range (?P<range>.+?)\.?$"),
        "{value} nằm ngoài khoảng cho phép ({range})",
    ),
    (re.compile(r"^(?:File|Directory|Path) (?P<value>.+?) does not exist\.?$"), "{value} không tồn tại"),
    (re.compile(r"^(?:File|Path) (?P<value>.+?) is a directory\.?$"), "{value} là một thư mục, cần một tệp"),
    (re.compile(r"^(?:Directory|Path) (?P<value>.+?) is a file\.?$"), "{value} là một tệp, cần một thư mục"),
]

_FORMS: list[tuple[re.Pattern[str], str]] = [
    (
        re.compile(r"^No such option:? (?P<name>\S+?)\.?(?: Did you mean (?P<hint>\S+?)\?)?$"),
        "Không có tùy chọn {name}",
    ),
    (
        re.compile(r"^No such option:? (?P<name>\S+?)\.? \(Possible options: (?P<hint>.+)\)$"),
        "Không có tùy chọn {name}",
    ),
    (re.compile(r"^No such command (?P<name>\S+?)\.?(?: Did you mean (?P<hint>\S+?)\?)?$"), "Không có lệnh {name}"),
    (re.compile(r"^Missing option (?P<name>'[^']+')\.(?P<rest>.*)$", re.S), "Thiếu tùy chọn bắt buộc {name}"),
    (re.compile(r"^Missing argument (?P<name>'[^']+')\.(?P<rest>.*)$", re.S), "Thiếu tham số bắt buộc {name}"),
    (re.compile(r"^Missing parameter:? (?P<name>.+?)\.?$"), "Thiếu tham số {name}"),
    (re.compile(r"^Option (?P<name>'[^']+') requires an argument\.?$"), "Tùy chọn {name} cần một giá trị"),
    (
        re.compile(r"^Option (?P<name>'[^']+') requires (?P<count>\d+) arguments\.?$"),
        "Tùy chọn {name} cần {count} giá trị",
    ),
    (re.compile(r"^Option (?P<name>'[^']+') does not take a value\.?$"), "Tùy chọn {name} không nhận giá trị"),
    (re.compile(r"^Got unexpected extra arguments? \((?P<name>.+)\)$"), "Thừa tham số: {name}"),
]
_INVALID = re.compile(r"^Invalid value(?: for (?P<name>'[^']+'|[^:]+))?: (?P<detail>.+)$", re.S)


def _value_text(detail: str) -> str:
    for pattern, template in _VALUE_FORMS:
        match = pattern.match(detail.strip())
        if match:
            return template.format(**match.groupdict())
    return detail


def vietnamese_message(english: str) -> str:
    """The Vietnamese retelling of one click message (the English itself when no form matches)."""
    english = english.strip()
    invalid = _INVALID.match(english)
    if invalid:
        name = invalid.group("name")
        return f"Giá trị không hợp lệ{f' cho {name}' if name else ''}: {_value_text(invalid.group('detail'))}"
    for pattern, template in _FORMS:
        match = pattern.match(english)
        if match:
            text = template.format(**match.groupdict())
            hint = match.groupdict().get("hint")
            return text + (f" — có phải {hint}?" if hint else "")
    return "Sai cách gọi lệnh"


def show_usage_error(exc: click.UsageError) -> None:
    """Usage line, where to find help, then the error: Vietnamese first, click's English in parentheses."""
    ctx = exc.ctx
    if ctx is not None:
        usage = ctx.get_usage().replace("Usage: ", "", 1).replace("Cách dùng: ", "", 1)
        click.echo(f"Cách dùng: {usage}", err=True)
        help_option = next(iter(ctx.help_option_names), "--help")
        click.echo(f"Xem '{ctx.command_path} {help_option}' để biết các tùy chọn.\n", err=True)
    english = exc.format_message()
    click.secho(f"Lỗi: {vietnamese_message(english)} ({english})", fg="red", err=True)


_HEADINGS = {"Options": "Tùy chọn (options)", "Commands": "Lệnh (commands)", "Arguments": "Tham số (arguments)"}
_ROW_TEXTS = {
    "Show this message and exit.": "Hiện hướng dẫn này rồi thoát.",
    "Show the version and exit.": "Hiện phiên bản rồi thoát.",
}


class VietnameseHelpFormatter(click.HelpFormatter):
    """`--help` pages with Vietnamese headings ("Cách dùng", "Tùy chọn") around the commands' own Vietnamese help."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, prefix="Cách dùng: " if prefix is None else prefix)

    def write_heading(self, heading: str) -> None:
        super().write_heading(_HEADINGS.get(heading, heading))

    def write_dl(self, rows, col_max: int = 30, col_spacing: int = 2) -> None:
        rows = [
            (
                term,
                _ROW_TEXTS.get(text, text)
                .replace("[default: ", "[mặc định: ")
                .replace("[required]", "[bắt buộc]")
                .replace("; required]", "; bắt buộc]"),
            )
            for term, text in rows
        ]
        super().write_dl(rows, col_max, col_spacing)
