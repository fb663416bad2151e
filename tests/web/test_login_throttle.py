"""Password guessing is throttled per address as well as per account, with bounded memory, locks that survive a
restart, and an address the client cannot choose behind a trusted proxy (issue 16 points 5 and 6)."""

from __future__ import annotations

import httpx
from web_helpers import PASSWORDS, csrf_of, served

from web.throttle import MAX_ADDRESS_FAILURES, MAX_FAILURES, MAX_RECORDS, LoginThrottle


def _attempt(browser: httpx.Client, username: str, password: str, forwarded: str | None = None) -> int:
    headers = {"X-Forwarded-For": forwarded} if forwarded else {}
    token = csrf_of(browser.get("/login", headers=headers).text)
    return browser.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": token},
        headers=headers,
        follow_redirects=False,
    ).status_code


def test_many_user_names_from_one_address_lock_that_address(web_env):
    with served() as base, httpx.Client(base_url=base) as browser:
        for index in range(MAX_ADDRESS_FAILURES):
            assert _attempt(browser, f"khong-co-{index}", "doan-mo") == 401
        assert _attempt(browser, "reviewer1", PASSWORDS["reviewer"]) == 429


def test_the_throttle_keeps_a_bounded_number_of_records_and_cuts_long_names():
    now = [1000.0]
    throttle = LoginThrottle(clock=lambda: now[0], max_address_failures=10**9)
    for index in range(MAX_RECORDS * 3):
        throttle.failed(throttle.key(f"10.{index // 65536}.{index // 256 % 256}.{index % 256}", f"user{index}"))
    assert len(throttle) <= MAX_RECORDS
    assert len(throttle.key("10.0.0.1", "x" * 100_000)[1]) <= 80


def test_a_very_long_user_name_is_refused_quickly_and_counted(web_env):
    with served() as base, httpx.Client(base_url=base) as browser:
        for _ in range(MAX_FAILURES):
            assert _attempt(browser, "a" * 100_000, "doan-mo") == 401
        assert _attempt(browser, "a" * 100_000, "doan-mo") == 429


def test_a_login_lock_survives_a_restart_of_serve(web_env):
    with served() as base, httpx.Client(base_url=base) as browser:
        for _ in range(MAX_FAILURES):
            assert _attempt(browser, "reviewer1", "doan-mo") == 401
        assert _attempt(browser, "reviewer1", PASSWORDS["reviewer"]) == 429
    with served() as base, httpx.Client(base_url=base) as browser:
        assert _attempt(browser, "reviewer1", PASSWORDS["reviewer"]) == 429
        assert _attempt(browser, "admin1", PASSWORDS["admin"]) == 303


def test_behind_a_trusted_proxy_a_client_chosen_forwarded_value_does_not_escape_the_lock(web_env):
    """The proxy appends the address it saw (10.0.0.7); the client rotates what it sends in front of it."""
    with served({"GDNN_TRUSTED_PROXIES": "127.0.0.1"}) as base, httpx.Client(base_url=base) as browser:
        for index in range(MAX_FAILURES):
            assert _attempt(browser, "reviewer1", "doan-mo", f"203.0.113.{index}, 10.0.0.7") == 401
        assert _attempt(browser, "reviewer1", PASSWORDS["reviewer"], "198.51.100.99, 10.0.0.7") == 429
        assert _attempt(browser, "reviewer1", PASSWORDS["reviewer"], "10.0.0.7") == 429
        assert _attempt(browser, "reviewer1", PASSWORDS["reviewer"], "10.0.0.8") == 303


def test_the_client_address_is_the_right_most_untrusted_hop():
    from web.proxies import client_address, parse_trusted

    proxies = parse_trusted("127.0.0.1, 10.1.0.0/16")
    assert client_address("127.0.0.1", ["6.6.6.6, 10.0.0.7"], proxies) == "10.0.0.7"
    assert client_address("127.0.0.1", ["6.6.6.6, 10.0.0.7, 10.1.2.3"], proxies) == "10.0.0.7"  # two proxies
    assert client_address("127.0.0.1", ["6.6.6.6", "10.0.0.7"], proxies) == "10.0.0.7"  # appended as a 2nd header
    assert client_address("192.0.2.5", ["10.0.0.7"], proxies) == "192.0.2.5"  # not from a proxy: header ignored
    assert client_address("127.0.0.1", ["not-an-ip"], proxies) == "127.0.0.1"
    assert client_address("127.0.0.1", [], proxies) == "127.0.0.1"
