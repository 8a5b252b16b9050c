"""Project-wide pytest setup, for the unit tests and for nbval's notebook runs."""

import os
import sys

import pytest

# Kernels started by nbval inherit this environment: fit() then shows no progress
# bar, so every notebook prints the same output on every run.
os.environ["INITACT_PROGRESS"] = "0"


@pytest.fixture(autouse=True)
def _close_figures():
    """Close matplotlib figures a test or doctest opened, so none pile up."""
    yield
    if "matplotlib.pyplot" in sys.modules:
        sys.modules["matplotlib.pyplot"].close("all")
