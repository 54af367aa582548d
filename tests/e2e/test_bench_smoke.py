"""`make bench` at toy sizes: every section runs to its end and its implementations still agree. No test runs the
benches otherwise, and a bench broken by a change (a renamed function, a slot the timer no longer calls — 906749a)
stayed broken unseen until someone wanted its numbers. Times are printed by the benches, never looked at here."""
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BENCH = ROOT / "tests" / "bench"

TOY_SIZES = {  # each section's size knobs (see its docstring), small enough for all of them to run in about a minute
    "EFFICIENCY_BENCH_SIZES": "300", "EFFICIENCY_BENCH_BEFORE": "0", "EFFICIENCY_BENCH_OUTLINES": "1",
    "EFFICIENCY_LIVE_BENCH_SIZES": "300", "EFFICIENCY_LIVE_BENCH_EDITS": "3", "EFFICIENCY_LIVE_BENCH_SAVES": "1",
    "FARMLAND_BENCH_SIZES": "50,50,10,20", "SUPPLY_BENCH_SIZES": "200,50", "UPSTAIRS_BENCH_SIZES": "20,200,1000",
    "LIVE_BENCH_EDITS": "3", "LIVING_BENCH_SIZES": "300,50,10", "POSTGIS_BENCH_SIZES": "300",
    "RESETTLEMENT_BENCH_SIZES": "100 200",
}


def section_output(text: str) -> dict[str, str]:
    """{section name: what it printed}, from bench.py's "== name ==" headers."""
    parts = re.split(r"^== (\w+) ==$", text, flags=re.MULTILINE)
    return dict(zip(parts[1::2], parts[2::2]))


def numbers(text: str) -> list[float]:
    return [float(v) for v in re.findall(r"\d+(?:\.\d+)?(?:e[+-]\d+)?", text)]


def numbers_after(label: str, text: str) -> list[float]:
    """Every number printed after `label` on its lines (the agreement figures)."""
    return [v for line in text.splitlines() if label in line for v in numbers(line.split(label, 1)[1])]


def test_every_bench_section_runs_and_agrees():
    sys.path.insert(0, str(BENCH))
    from bench import sections

    in_git = (ROOT / ".git").exists()  # the matrix's chroots get the files without their history
    env = {**os.environ, **TOY_SIZES, "SECTIONS": "", "EFFICIENCY_BENCH_SAME_AS": "HEAD" if in_git else ""}
    done = subprocess.run([sys.executable, str(BENCH / "bench.py")], env=env, capture_output=True, text=True,
                          timeout=900, cwd=ROOT)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    printed = section_output(done.stdout)
    assert sorted(printed) == sections() and len(printed) >= 9
    for name, text in printed.items():
        assert len(text.strip().splitlines()) >= 2, (name, text)  # a header and at least one measured row
    row = printed["efficiency"].strip().splitlines()[-1].split("|")
    assert row[7].strip().startswith("identical" if in_git else "—")  # the plugin's output against itself at HEAD
    assert not in_git or "; outlines identical" in row[7]  # and its merge cluster outlines
    far_differences = numbers(row[-1])  # max |ΔFAR| against the native overlay and PostGIS
    assert len(far_differences) == 2 and max(far_differences) < 1e-6
    assert printed["postgis"].count("identical: True") == 2
    assert numbers_after("missing", printed["farmland"]) == [0]
    for name in ("land_supply", "living_circle"):  # m² unsupplied (GEOS 3.13's difference: 1.7e-6), m walked
        assert numbers_after("max |diff|", printed[name]) and max(numbers_after("max |diff|", printed[name])) < 1e-3
    assert max(numbers_after("max |diff|", printed["upstairs"])) < 1e-2  # m², the native overlay's own rounding
    assert "edit → checklist updated" in printed["live"]
    assert "edit → panel updated" in printed["efficiency_live"]
