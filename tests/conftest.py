"""Fixtures every test gets."""

import sys

import pytest


@pytest.fixture(autouse=True)
def close_figures():
    """Close the pyplot figures a test leaves open, so they never pile up across tests.

    Imports nothing: a test that never imported pyplot has no figure to close.
    """
    yield
    plt = sys.modules.get("matplotlib.pyplot")
    if plt is not None:
        plt.close("all")
