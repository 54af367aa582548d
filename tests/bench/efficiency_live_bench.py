"""Live low-efficiency section of `make bench` (SECTIONS=efficiency_live): how long a planner waits, after an edit of
a parcel or a building, for the low-efficiency panel to show the new result.

On the generator's city (scripts/generate_data.py, cached as build/bench/parcels_<n>.gpkg and shared with the
efficiency and PostGIS sections; n from EFFICIENCY_LIVE_BENCH_SIZES, default 100000 — six districts, ≈1.5 buildings
a parcel), both layers read from a copy of the GeoPackage, as a planner edits them, and put in edit mode. Live mode
starts once in the low-efficiency panel itself (gui.efficiency_dock with a real map canvas and message bar, the
parts of the QGIS interface it uses): every parcel and building read (main thread), the buildings clipped to the
parcels, shared edges found, everything judged (worker thread), the live result layer filled (a slice per turn of
the event loop) and the table listed — the time until that first result, how long the main thread is held in all
(the panel's call, which reads the layers, and each turn it takes back, writes or lists), and its longest hold.
Then EFFICIENCY_LIVE_BENCH_EDITS edits (default 60) cycle through: a building's storeys changed (its parcel's FAR —
floor area from the clipped buildings), a parcel moved by a few metres (its area, FAR, coverage, clusters) and a
parcel's tax changed (its district's reference, ranks and grades). For each: the time from the edit until the panel is
updated (table rows, why, summary — the wait for the event loop to turn included), and how long the main thread is held
per edit — reading the edited features through the edit buffer and handing them to the worker thread that re-judges the
affected district(s) and the clusters (gui.live_check: THREADED), plus drawing the changed rows of the result layer and
cluster outlines and updating the panel once it is done: what editing waits for — in all, and its longest single hold
(the drawing is written a slice of at most gui.live_check.WRITE_BUDGET_MS per turn of the event loop, editing going on
between slices). Beside them, `landbureau:lowefficiency` on the same edited layers once: what a planner would otherwise
wait for after each edit. Then EFFICIENCY_LIVE_BENCH_SAVES rounds (default 3) on the parcels and the buildings in turn:
a few edits (one of them an added feature, which a save gives a new id) rolled back, then a few saved — for each, how
long the main thread is held from the rollBack / commitChanges call (QGIS's own work and live mode's slots on its
signals) until the panel is updated, and that wait. Wall-clock on a shared machine; printed, never asserted.
"""
from __future__ import annotations

import os
import shutil
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import upstairs_bench  # noqa: E402 — QGIS started once per process
from live_bench import DesktopParts, percentile  # noqa: E402
from postgis_bench import dataset  # noqa: E402


def sizes() -> list[int]:
    return [int(n) for n in os.environ.get("EFFICIENCY_LIVE_BENCH_SIZES", "100000").split()]


def measure(n: int) -> None:
    processing = upstairs_bench.qgis()
    from qgis.core import QgsApplication, QgsFeature, QgsGeometry, QgsProject, QgsVectorLayer
    from qgis.gui import QgsMapCanvas, QgsMessageBar

    from land_bureau_plugin.gui import efficiency_dock

    path = dataset(n).parent / f"efficiency_live_{n}.gpkg"  # a copy to edit and save: the cached city stays as it is
    shutil.copyfile(dataset(n), path)
    QgsProject.instance().setEllipsoid("NONE")
    parcels, buildings = (QgsVectorLayer(f"{path}|layername={name}", name, "ogr") for name in ("地块", "建筑"))
    QgsProject.instance().addMapLayers([parcels, buildings])
    parcels.startEditing()
    buildings.startEditing()

    dock = efficiency_dock.EfficiencyDock(DesktopParts(QgsMapCanvas(), QgsMessageBar()))
    dock.parcels_combo.setLayer(parcels)
    dock.buildings_combo.setLayer(buildings)
    started = time.perf_counter()
    dock.live_box.setChecked(True)
    start_s = time.perf_counter() - started
    checker = dock.live
    assert checker is not None, "live mode did not start"
    done = []
    checker.updated.connect(lambda fids: done.append(time.perf_counter()))  # after the panel's own slot

    check_times, longest_times, latencies, kinds = [], [], [], []
    original_check, original_collect = checker.turn, checker.collect
    held = [0.0, 0.0]  # main-thread time of the current edit (the read and hand-over, then the drawing), and the
    # longest of its holds (one turn of the event loop: the read, a slice of the drawing, the last with the panel)

    def hold(seconds: float) -> None:
        held[0] += seconds
        held[1] = max(held[1], seconds)

    def timed_check():
        begin = time.perf_counter()
        original_check()
        hold(time.perf_counter() - begin)

    def timed_collect():
        working = checker.writing is not None or (checker.busy is not None and checker.busy.done())
        begin = time.perf_counter()
        original_collect()
        if working:  # taken back, or a slice of its drawing written (the last one announced)
            hold(time.perf_counter() - begin)

    checker.timer.timeout.disconnect(checker.turn)
    checker.timer.timeout.connect(timed_check)
    checker.poll.timeout.disconnect(checker.collect)
    checker.poll.timeout.connect(timed_collect)
    # live mode on: the panel's call (the layers read), then the main thread's part of the first judgement worked
    # out in the worker thread — taken back, drawn a slice a turn, the panel's table listed — until it is announced
    held[:] = [start_s, start_s]
    while not done:
        QgsApplication.processEvents()
        time.sleep(0.0005)
    on_s, on_held, on_longest = done[0] - started, held[0], held[1]
    rng = np.random.default_rng(11)
    parcel_ids = list(checker.live.frame.index)
    building_ids = list(checker.live.buildings.table.index)
    storeys, tax = buildings.fields().indexOf("CS"), parcels.fields().indexOf("税收")
    for edit in range(int(os.environ.get("EFFICIENCY_LIVE_BENCH_EDITS", "60"))):
        done.clear()
        held[:] = [0.0, 0.0]
        kind = ("storeys", "move", "tax")[edit % 3]
        began = time.perf_counter()
        if kind == "storeys":
            fid = int(rng.choice(building_ids))
            buildings.beginEditCommand("bench")
            buildings.changeAttributeValue(fid, storeys, int(rng.integers(1, 30)))
            buildings.endEditCommand()
        elif kind == "move":
            fid = int(rng.choice(parcel_ids))
            geometry = QgsGeometry(parcels.getFeature(fid).geometry())
            geometry.translate(float(rng.uniform(-5, 5)), float(rng.uniform(-5, 5)))
            parcels.beginEditCommand("bench")
            parcels.changeGeometry(fid, geometry)
            parcels.endEditCommand()
        else:
            fid = int(rng.choice(parcel_ids))
            parcels.beginEditCommand("bench")
            parcels.changeAttributeValue(fid, tax, float(rng.uniform(1, 400)))
            parcels.endEditCommand()
        while not done:
            QgsApplication.processEvents()
            time.sleep(0.0005)
        latencies.append(done[0] - began)
        check_times.append(held[0])
        longest_times.append(held[1])
        kinds.append(kind)

    batch_started = time.perf_counter()
    processing.run("landbureau:lowefficiency", {"PARCELS": parcels, "BUILDINGS": buildings, "OUTPUT": "memory:"})
    batch_s = time.perf_counter() - batch_started
    summary = dock.summary.text()

    def saved(layer, save) -> tuple[float, float]:
        """(main thread held, save → panel updated) for one save or rollback of `layer`: the call itself (QGIS's
        own work and live mode's slots on its signals) and the checks it causes, until the panel is updated."""
        done.clear()
        held[:] = [0.0, 0.0]
        began = time.perf_counter()
        assert save(), f"{layer.name()} could not be saved or rolled back"
        held[0] += time.perf_counter() - began
        while not done:
            QgsApplication.processEvents()
            time.sleep(0.0005)
        layer.startEditing()
        return held[0], done[0] - began

    saves = {"rollback": [], "commit": []}
    for round_ in range(int(os.environ.get("EFFICIENCY_LIVE_BENCH_SAVES", "3"))):
        for kind in ("rollback", "commit"):  # a save of a few edits, one of them an added parcel (new feature id)
            layer = (parcels, buildings)[round_ % 2]
            source = layer.getFeature(int(rng.choice(parcel_ids if layer is parcels else building_ids)))
            added, geometry = QgsFeature(source), QgsGeometry(source.geometry())
            geometry.translate(float(rng.uniform(-5, 5)), float(rng.uniform(-5, 5)))
            added.setGeometry(geometry)
            if layer.fields().indexOf("fid") >= 0:  # the GeoPackage's own id: given on saving, never copied
                added.setAttribute("fid", None)
            layer.beginEditCommand("bench")
            layer.addFeature(added)
            if layer is parcels:
                parcels.changeAttributeValue(int(rng.choice(parcel_ids)), tax, float(rng.uniform(1, 400)))
            else:
                buildings.changeAttributeValue(int(rng.choice(building_ids)), storeys, int(rng.integers(1, 30)))
            layer.endEditCommand()
            done.clear()
            while not done:
                QgsApplication.processEvents()
                time.sleep(0.0005)
            saves[kind].append(saved(layer, layer.rollBack if kind == "rollback" else layer.commitChanges))
    dock.live_box.setChecked(False)
    parcels.rollBack()
    buildings.rollBack()
    QgsProject.instance().removeAllMapLayers()

    print(f"{n:,} parcels, {len(building_ids):,} buildings; {len(latencies)} edits (storeys of a building, a parcel "
          "moved a few metres, a parcel's tax, in turn)")
    print(f"{'':>46} | {'p50 ms':>8} | {'p95 ms':>8} | {'max ms':>8}")
    for label, values in (("edit → panel updated, all edits", latencies),
                          *((f"  {kind}", [v for v, k in zip(latencies, kinds) if k == kind])
                            for kind in ("storeys", "move", "tax")),
                          ("main thread held (read, hand over, draw)", check_times),
                          ("  longest single hold (one event-loop turn)", longest_times)):
        print(f"{label:>46} | {percentile(values, 50):>8.1f} | {percentile(values, 95):>8.1f} | "
              f"{max(values) * 1000:>8.1f}")
    for kind, values in saves.items():
        for label, column in (("main thread held", 0), ("→ panel updated", 1)):
            numbers = [value[column] for value in values]
            print(f"{f'{kind} of the edits, {label}':>46} | {percentile(numbers, 50):>8.1f} | "
                  f"{percentile(numbers, 95):>8.1f} | {max(numbers) * 1000:>8.1f}")
    print(f"{'live mode on → first result (read, judge, draw)':>46} | {on_s * 1000:>8.0f} |")
    print(f"{'  main thread held, in all':>46} | {on_held * 1000:>8.0f} |")
    print(f"{'  of which turning it on (the layers read)':>46} | {start_s * 1000:>8.0f} |")
    print(f"{'  longest single hold (one event-loop turn)':>46} | {on_longest * 1000:>8.0f} |")
    print(f"{'landbureau:lowefficiency, whole layer':>46} | {batch_s * 1000:>8.0f} |")
    print(f"the panel's summary after the last edit: {summary}")


def main() -> None:
    for n in sizes():
        measure(n)


if __name__ == "__main__":
    main()
