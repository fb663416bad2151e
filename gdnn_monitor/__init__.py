"""gdnn-monitor: counts press and social-media coverage of vocational education (GDNN) for a province."""

__version__ = "0.1.0"
