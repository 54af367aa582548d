"""`make bench`: each analysis's timings side by side with its reference implementations, on the same data in one
run. Wall-clock is printed, never asserted. Every `*_bench.py` beside this file is a section with a `main()`;
`make bench SECTIONS="efficiency"` runs only the named ones."""
from __future__ import annotations

import importlib
import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def sections() -> list[str]:
    wanted = os.environ.get("SECTIONS", "").split()
    found = sorted(p.stem.removesuffix("_bench") for p in HERE.glob("*_bench.py"))
    return [name for name in found if not wanted or name in wanted]


def main() -> None:
    sys.path.insert(0, str(HERE))
    for name in sections():
        print(f"\n== {name} ==", flush=True)
        importlib.import_module(f"{name}_bench").main()


if __name__ == "__main__":
    main()
