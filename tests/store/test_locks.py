"""The crawl lock in the database: one holder at a time across processes, expiry of a dead holder's lock."""

from __future__ import annotations

import multiprocessing
import time
from datetime import timedelta

import pytest

from store.locks import LockBusy, current_holder, hold_lock, release, try_acquire


def _hold_in_child(url: str, name: str, seconds: float, ready, result) -> None:
    """Child process: take the lock, say so, keep it a while."""
    from store.db import reset_engines

    reset_engines()
    try:
        with hold_lock(name, ttl=timedelta(seconds=2), url=url):
            ready.set()
            time.sleep(seconds)
        result.put("held")
    except LockBusy:
        ready.set()
        result.put("busy")


def test_second_holder_is_refused_until_the_first_releases(database_url):
    assert try_acquire("crawl", "a", url=database_url)
    assert not try_acquire("crawl", "b", url=database_url)
    assert try_acquire("crawl", "a", url=database_url), "re-entrant for the same holder"
    release("crawl", "a", url=database_url)
    assert try_acquire("crawl", "b", url=database_url)


def test_an_expired_lock_is_taken_over(database_url):
    assert try_acquire("crawl", "dead-process", ttl=timedelta(seconds=-1), url=database_url)
    assert try_acquire("crawl", "alive", url=database_url)
    assert current_holder("crawl", url=database_url)[0] == "alive"


def test_two_processes_never_hold_the_lock_at_once(database_url):
    context = multiprocessing.get_context("spawn")
    ready, result = context.Event(), context.Queue()
    child = context.Process(target=_hold_in_child, args=(database_url, "crawl", 3.0, ready, result))
    child.start()
    try:
        assert ready.wait(60)
        assert result.empty()
        with pytest.raises(LockBusy) as busy, hold_lock("crawl", url=database_url):
            pass
        assert ":" in busy.value.holder
        # the heartbeat keeps the child's 2 s lock alive past its ttl
        time.sleep(2.5)
        assert not try_acquire("crawl", "me", url=database_url)
        assert result.get(timeout=30) == "held"
    finally:
        child.join(30)
    with hold_lock("crawl", url=database_url) as held:
        assert not held.lost
    assert current_holder("crawl", url=database_url) is None


def test_many_threads_racing_for_the_lock_get_exactly_one_winner(database_url):
    import threading

    winners, barrier = [], threading.Barrier(8)

    def race(holder: str) -> None:
        barrier.wait()
        if try_acquire("race", holder, url=database_url):
            winners.append(holder)

    threads = [threading.Thread(target=race, args=(f"t{i}",)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(winners) == 1


def test_a_lock_left_by_a_killed_process_of_this_machine_is_taken_over_at_once(database_url):
    import signal
    import socket
    import subprocess
    import sys

    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    dead_holder = f"{socket.gethostname()}:{sleeper.pid}:deadbeef"
    assert try_acquire("crawl", dead_holder, url=database_url)
    assert not try_acquire("crawl", "me", url=database_url), "its holder is alive"
    sleeper.send_signal(signal.SIGKILL)
    sleeper.wait()
    assert try_acquire("crawl", "me", url=database_url)
    other_machine = "another-host:1:cafe"
    release("crawl", "me", url=database_url)
    assert try_acquire("crawl", other_machine, url=database_url)
    assert not try_acquire("crawl", "me", url=database_url), "another machine's holder waits for expiry"
