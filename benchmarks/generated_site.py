"""The generated news sites of `incremental.py`, for the benchmarks that crawl or parse them."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from typing import Any


def load_incremental() -> Any:
    """benchmarks/incremental.py under another name: as `incremental` it would stand in for the
    package of that name Twisted imports (so the benchmarks folder leaves sys.path too)."""
    here = Path(__file__).resolve().parent
    sys.path[:] = [entry for entry in sys.path if Path(entry or ".").resolve() != here]
    spec = importlib.util.spec_from_file_location("incremental_benchmark", here / "incremental.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module
