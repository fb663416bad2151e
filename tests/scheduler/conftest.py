"""The scheduler tests use the pipeline tests' settings (a small sources file with two enabled sources)."""

from tests.pipeline.conftest import pipeline_env  # noqa: F401  (a fixture, found by pytest under this name)
