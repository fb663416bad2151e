"""Structured logs carry the run id, as text or as JSON lines."""

from __future__ import annotations

import io
import json
import logging

from gdnn_monitor.core.logs import configure_logging, new_run_id, run_context


def test_json_lines_carry_the_run_id_and_extra_fields():
    stream = io.StringIO()
    handler = configure_logging("json", stream=stream)
    try:
        with run_context("run-test-1"):
            logging.getLogger("gdnn.test").info("thu thập xong %d nguồn", 3, extra={"source_id": "bao-a"})
        logging.getLogger("gdnn.test").warning("ngoài run")
    finally:
        logging.getLogger().removeHandler(handler)
    first, second = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert first["run_id"] == "run-test-1" and first["msg"] == "thu thập xong 3 nguồn"
    assert first["source_id"] == "bao-a" and first["level"] == "INFO"
    assert second["run_id"] is None


def test_text_lines_name_the_run():
    stream = io.StringIO()
    handler = configure_logging("text", stream=stream)
    try:
        with run_context() as run_id:
            logging.getLogger("gdnn.test").info("bắt đầu")
    finally:
        logging.getLogger().removeHandler(handler)
    assert f"[run {run_id}] bắt đầu" in stream.getvalue()


def test_run_ids_are_unique_and_fit_the_crawlrun_column():
    ids = {new_run_id("schedule") for _ in range(100)}
    assert len(ids) == 100 and all(len(i) <= 40 for i in ids)
