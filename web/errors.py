"""The web app's own error pages, in Vietnamese: a bad parameter, a page that does not exist or is not permitted, a
database that is down. No officer ever sees FastAPI's JSON or a bare "Internal Server Error"."""

from __future__ import annotations

import logging
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import PlainTextResponse, RedirectResponse, Response
from sqlalchemy.exc import DataError, DBAPIError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.exceptions import HTTPException as StarletteHTTPException

from web.security import CsrfRefused, Forbidden, LoginRequired

log = logging.getLogger(__name__)
STATUS_PAGES = {
    400: ("Yêu cầu không hợp lệ", "Địa chỉ hoặc biểu mẫu có giá trị không hợp lệ."),
    403: ("Không có quyền", "Vai trò của bạn không được phép xem trang này hoặc thực hiện việc này."),
    404: ("Không tìm thấy", "Không có trang này. Kiểm tra lại địa chỉ hoặc quay về trang tổng quan."),
    405: ("Không được phép", "Trang này không nhận kiểu yêu cầu đó."),
    413: ("Dữ liệu quá lớn", "Dữ liệu gửi lên quá lớn."),
}
DB_DOWN = (
    "Cơ sở dữ liệu tạm thời không truy cập được",
    "Máy chủ cơ sở dữ liệu không trả lời. Dữ liệu của bạn không bị mất; hãy thử lại sau ít phút. Nếu lỗi kéo dài, "
    "báo cho bộ phận CNTT (database unavailable).",
)
PARAMETER_NAMES = {"year": "năm", "month": "tháng", "page": "trang", "item_id": "số tin/bài", "format": "định dạng"}


def error_page(request: Request, status: int, title: str, message: str) -> Response:
    try:
        return request.app.state.templates.TemplateResponse(
            request, "error.html", {"title": title, "message": message}, status_code=status
        )
    except Exception:  # the page itself must never fail: fall back to plain text
        log.exception("error page could not be rendered")
        return PlainTextResponse(f"{title}. {message}", status_code=status)


def _validation_message(exc: RequestValidationError) -> str:
    names = []
    for error in exc.errors():
        location = [str(part) for part in error.get("loc", ()) if part not in ("query", "path", "body")]
        if location:
            names.append(PARAMETER_NAMES.get(location[-1], location[-1]))
    which = ", ".join(dict.fromkeys(names)) or "tham số"
    return f"Giá trị không hợp lệ: {which}. Kiểm tra lại địa chỉ (ví dụ năm là 4 chữ số, trang là số nguyên dương)."


def _database_down(exc: DBAPIError) -> bool:
    """Lost or refused connections and time-outs, as opposed to a bad value the database rejected."""
    return isinstance(exc, OperationalError) or bool(getattr(exc, "connection_invalidated", False))


def install_error_pages(app: FastAPI) -> None:
    """Every error the app can meet gets a Vietnamese page with the right status."""

    @app.exception_handler(LoginRequired)
    async def to_login(request: Request, _exc: LoginRequired) -> Response:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?next={quote(target)}", status_code=303)

    @app.exception_handler(Forbidden)
    async def forbidden(request: Request, _exc: Forbidden) -> Response:
        return error_page(request, 403, *STATUS_PAGES[403])

    @app.exception_handler(CsrfRefused)
    async def csrf_refused(request: Request, _exc: CsrfRefused) -> Response:
        return error_page(
            request,
            403,
            "Biểu mẫu không hợp lệ",
            "Biểu mẫu đã hết hạn hoặc thiếu mã bảo vệ (CSRF). Hãy tải lại trang và thử lại.",
        )

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        title, default = STATUS_PAGES.get(exc.status_code, ("Lỗi", "Không thực hiện được yêu cầu."))
        detail = str(exc.detail or "")
        # Starlette's own details are English ("Not Found"); the app's routes raise with a Vietnamese one.
        message = detail if detail and not detail.isascii() else default
        return error_page(request, exc.status_code, title, message)

    @app.exception_handler(RequestValidationError)
    async def bad_parameter(request: Request, exc: RequestValidationError) -> Response:
        return error_page(request, 400, STATUS_PAGES[400][0], _validation_message(exc))

    @app.exception_handler(PoolTimeout)
    async def pool_exhausted(request: Request, _exc: PoolTimeout) -> Response:
        return error_page(request, 503, *DB_DOWN)

    @app.exception_handler(DBAPIError)
    async def database_error(request: Request, exc: DBAPIError) -> Response:
        if _database_down(exc):
            log.error("database unavailable: %s", exc.orig)
            return error_page(request, 503, *DB_DOWN)
        if isinstance(exc, DataError):
            return error_page(
                request,
                400,
                STATUS_PAGES[400][0],
                "Cơ sở dữ liệu từ chối giá trị đã nhập (quá lớn hoặc có ký tự không hợp lệ).",
            )
        raise exc

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> Response:
        log.exception("unexpected error on %s %s", request.method, request.url.path, exc_info=exc)
        return error_page(
            request,
            500,
            "Lỗi hệ thống",
            "Đã xảy ra lỗi không mong muốn; lỗi đã được ghi vào nhật ký. Hãy thử lại hoặc báo bộ phận CNTT.",
        )
