"""Shared fixtures: the command-line binary the package's numbers are checked against."""

import os
import pathlib
import subprocess

import pytest

REPO = pathlib.Path(__file__).resolve().parents[3]


@pytest.fixture(scope="session")
def cli():
    """The `razvilka` binary: $RAZVILKA_BIN, else the workspace's debug build (built if missing)."""
    path = os.environ.get("RAZVILKA_BIN")
    if path:
        return path
    binary = REPO / "target" / "debug" / "razvilka"
    if not binary.exists():
        subprocess.run(["cargo", "build", "-q", "-p", "razvilka"], cwd=REPO, check=True)
    return str(binary)
