"""Live low-efficiency evaluation (gui.live_efficiency): a seeded random sequence of edits on a parcels layer and its
buildings layer, both in edit mode — parcels moved, their tax, FAR field, land use, district and id changed, parcels
deleted and added, buildings moved, their storeys changed, added and deleted, undo, either layer saved or rolled
back — and after each, the live results equal `landbureau:lowefficiency` run on the layers as they are (grades,
flags, reasons, figures, ranks, modes row by row; merge clusters as partitions and by number), saves and rollbacks
taken without reading everything again. The live result layer holds the same values. A save that fails, one that
leaves features the checker was not told about, and a shapefile renumbered on saving still end equal to the batch
run. Turning live mode off removes its layers and connections, and the edit buffers are what the edits made them."""
import math
import random
import re
import time
import warnings

import pytest
import shapely
from qgis.core import QgsApplication, QgsFeature, QgsFeatureRequest, QgsGeometry, QgsProject
from qgis.PyQt.QtCore import QTimer
from test_efficiency_algorithm import BUILDING_FIELDS, PARCEL_FIELDS, building, parcel, rect, run

from land_bureau_plugin.gui.live_check import LIVE_LAYER_KEY, layer_order
from land_bureau_plugin.gui.live_efficiency import LiveEfficiency
from land_bureau_plugin.i18n import tr
from land_bureau_plugin.processing.efficiency import RESULT_FIELDS
from land_bureau_plugin.rules.profile import load_profile

COMPARED = ("far", "coverage", "tax_per_mu", "score", "grade", "low_eff", "reasons", "potential_m2", "mode",
            "area_mu", "ent_class", "rank", "rank_n")
DISTRICTS = ("西湖", "余杭", "萧山")
STARTED = []


def city(seed: int):
    """A 6 × 4 grid of 100 m parcels in three districts, one to three buildings on most."""
    rng = random.Random(seed)
    parcels, buildings = [], []
    for cx in range(6):
        for cy in range(4):
            pid = f"P{cx}{cy}"
            parcels.append(parcel(pid, rect(cx * 100, cy * 100, 100, 100),
                                  land_use=rng.choice(["0601", "0601", "0701"]), far=rng.choice([None, "0.9", "1.4"]),
                                  tax=rng.choice([None, *range(5, 200, 15)]), district=DISTRICTS[cx // 2]))
            for _ in range(rng.choice([0, 1, 2, 3])):
                w, h = rng.uniform(10, 50), rng.uniform(10, 50)
                buildings.append(building(rect(cx * 100 + rng.uniform(-10, 100 - w), cy * 100 + rng.uniform(0, 100 - h),
                                               w, h), floors=rng.choice([None, 1, 2, 4, 8])))
    return parcels, buildings


@pytest.fixture()
def layers(plugin, make_layer):
    def build(seed=1):
        rows, building_rows = city(seed)
        parcels = make_layer("Polygon", PARCEL_FIELDS, rows, "地块")
        buildings = make_layer("Polygon", BUILDING_FIELDS, building_rows, "建筑")
        QgsProject.instance().addMapLayers([parcels, buildings])
        return parcels, buildings
    yield build
    while STARTED:
        STARTED.pop().stop()
    for layer in QgsProject.instance().mapLayers().values():
        if layer.isEditable():
            layer.rollBack()
    QgsProject.instance().removeAllMapLayers()
    QgsApplication.processEvents()


@pytest.fixture(autouse=True)
def leaves_the_project_as_it_found_it():
    """Every test here takes its layers out of the project again: one left behind (with its role's fields) was
    preselected by the next test's panel, which found its own layers beside it (test_efficiency_dock run after
    this module)."""
    before = set(QgsProject.instance().mapLayers())
    yield
    left = {layer_id: layer.name() for layer_id, layer in QgsProject.instance().mapLayers().items()
            if layer_id not in before}
    for layer_id in left:
        QgsProject.instance().removeMapLayer(layer_id)
    assert not left, f"layers left in the project: {sorted(left.values())}"


def checker_of(parcels, buildings):
    from dataclasses import replace

    from land_bureau_plugin.analysis.efficiency import EfficiencyRules
    from land_bureau_plugin.rules.profile import section

    profile = load_profile(None)
    rules = replace(section(profile, "efficiency", EfficiencyRules), land_use_system="gbt21010")
    checker = LiveEfficiency(parcels, buildings, profile, rules)
    STARTED.append(checker)
    checker.loads = 0  # how often it read everything: at start, and on a reload
    original = checker.prepare_load

    def counted():
        checker.loads += 1
        return original()

    checker.prepare_load = counted
    return checker


def live_on(checker) -> None:
    """Live mode on and its first result in: everything is judged in the worker thread (gui.live_check)."""
    assert checker.start()
    assert checker.starting
    settle(checker)
    assert checker.running and not checker.starting


def turn_until(condition, seconds: float, why: str = "") -> None:
    """The event loop turned until `condition()` holds, failing after `seconds`: the judgement runs in a worker
    thread and comes back through the event loop, waited for as the desktop's user does."""
    deadline = time.monotonic() + seconds
    while not condition():
        QgsApplication.processEvents()
        time.sleep(0.005)
        assert time.monotonic() < deadline, why


def settle(checker, seconds=60):
    turn_until(checker.idle, seconds, "the live check did not run")
    QgsApplication.processEvents()


def command(layer, text, do):
    layer.beginEditCommand(text)
    do()
    layer.endEditCommand()


def plain(value):
    if value is None or (hasattr(value, "isNull") and value.isNull()):
        return None
    try:
        return None if value != value else value
    except TypeError:  # pandas NA
        return None


def same(a, b):
    a, b = plain(a), plain(b)
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-6)
    return a == b


def partition(pairs) -> set:
    groups = {}
    for key, cluster in pairs:
        if cluster:
            groups.setdefault(cluster, set()).add(key)
    return {frozenset(group) for group in groups.values()}


def batch_output(parcels, buildings, **extra):
    """The batch run's output layer, the run asked again once when it refused because its source came back shorter
    when read for writing ("the layer changed while the run read it … run it again", what a user is told to do).
    Seen once in three full runs on Debian unstable (QGIS 3.44.15, GDAL 3.13.3, Python 3.14; never on its own, nor on
    QGIS 3.22 or 3.40), in test_live_mode_reads_an_unedited_geopackage_column_by_column: QGIS's second read of the
    unedited GeoPackage layer in edit mode gave no feature (GDAL: "At least one of the required GeoPackage tables,
    gpkg_spatial_ref_sys or gpkg_contents, is missing"). The plugin's refusal is right; the cause is not known."""
    from qgis.core import QgsProcessingException

    try:
        return run(parcels, buildings, **extra)["OUTPUT"]
    except QgsProcessingException as refused:
        if "changed while the run read it" not in str(refused):
            raise
        warnings.warn(f"batch run asked again: {refused}", stacklevel=2)
        return run(parcels, buildings, **extra)["OUTPUT"]


def assert_live_equals_batch(checker, parcels, buildings, step, **extra):
    out = batch_output(parcels, buildings, **extra)
    features = list(out.getFeatures())
    result = checker.live.result
    order = [f.id() for f in parcels.getFeatures()]
    assert list(result.index) == order, step  # the layer's order, as the batch run reads it
    assert len(features) == len(order), step
    for fid, feature in zip(order, features):
        for column in COMPARED:
            assert same(result.at[fid, column], feature[column]), (step, fid, column, result.at[fid, column],
                                                                    feature[column])
    assert partition(zip(order, result["cluster_id"])) == partition(zip(order, (f["cluster_id"] for f in features)))
    assert [int(c) for c in result["cluster_id"]] == [plain(f["cluster_id"]) or 0 for f in features], step
    # the live result layer shows what the checker holds
    shown = {f.id(): f for f in checker.result_layer.getFeatures()}
    assert len(shown) == len(order)
    for fid in order:  # every value: only the changed ones are written after an edit
        feature = shown[checker.feature_of[fid]]
        for column in (item.name for item in RESULT_FIELDS):
            assert same(result.at[fid, column], feature[column]), (step, fid, column)
        assert feature["DKBH"] == parcels.getFeature(fid)["DKBH"]
        box = feature.geometry().boundingBox()  # the parcel where it is now (planar)
        assert [box.xMinimum(), box.yMinimum(), box.xMaximum(), box.yMaximum()] == \
            pytest.approx(list(shapely.bounds(checker.live.geometry.at[fid])), abs=1e-6), (step, fid)
    outlines = {plain(f["cluster_id"]): plain(f["parcels"]) for f in checker.cluster_layer.getFeatures()}
    assert checker.cluster_layer.featureCount() == len(outlines), step
    assert outlines == {int(c): int(n) for c, n in result.loc[result["cluster_id"] > 0, "cluster_id"]
                        .value_counts().items()}, step
    members = {}  # each outline is the union of its cluster's parcels as the batch run wrote them
    for feature in features:
        if plain(feature["cluster_id"]):
            members.setdefault(plain(feature["cluster_id"]), []).append(shapely.from_wkb(bytes(
                feature.geometry().asWkb())))
    for feature in checker.cluster_layer.getFeatures():
        outline = shapely.from_wkb(bytes(feature.geometry().asWkb()))
        expected = shapely.union_all(members[plain(feature["cluster_id"])])
        assert shapely.symmetric_difference(outline, expected).area <= 1e-9 * expected.area, (step, feature.id())


def buffer_state(layer):
    buffer = layer.editBuffer()
    return (sorted(buffer.addedFeatures()), sorted(buffer.deletedFeatureIds()),
            {fid: dict(values) for fid, values in buffer.changedAttributeValues().items()},
            {fid: geometry.asWkt() for fid, geometry in buffer.changedGeometries().items()},
            layer.undoStack().count(), layer.undoStack().index())


def moved(layer, fid, dx, dy):
    geometry = QgsGeometry(layer.getFeature(fid).geometry())
    geometry.translate(dx, dy)
    return geometry


@pytest.mark.parametrize(("seed", "sliced"), [(3, False), (8, False), (5, True)])
def test_random_edits_keep_live_equal_to_the_batch_run(layers, seed, sliced, monkeypatch):
    """sliced: each judgement's changed values written one feature a turn of the event loop (gui.live_check
    WRITE_BUDGET_MS), edits made meanwhile judged once it is all written."""
    if sliced:
        from land_bureau_plugin.gui import live_check, live_efficiency

        monkeypatch.setattr(live_efficiency, "WRITE_CHUNK", 1)
        monkeypatch.setattr(live_check, "WRITE_BUDGET_MS", 0)
    parcels, buildings = layers(seed)
    parcels.startEditing()
    buildings.startEditing()
    checker = checker_of(parcels, buildings)
    live_on(checker)
    settle(checker)
    assert_live_equals_batch(checker, parcels, buildings, "start")
    rng = random.Random(seed)
    fields = {name: parcels.fields().indexOf(name) for name in ("DKBH", "YDXZ", "RJL", "税收", "行政区")}
    floors = buildings.fields().indexOf("CS")
    for step in range(30):
        kind = {9: "commit", 19: "rollback", 29: "commit"}.get(step) or rng.choice(
            ["move", "tax", "far", "land_use", "district", "id", "delete", "add", "bmove", "bfloors", "badd", "bdelete",
             "undo", "undo", "commit", "rollback"])
        parcel_ids = [f.id() for f in parcels.getFeatures()]
        building_ids = [f.id() for f in buildings.getFeatures()]
        fid = rng.choice(parcel_ids)
        if kind == "move":
            geometry = moved(parcels, fid, rng.uniform(-50, 50), rng.choice([0.0, 30.0]))
            command(parcels, "move", lambda: parcels.changeGeometry(fid, geometry))  # noqa: B023 — run at once
        elif kind in ("tax", "far", "land_use", "district", "id"):
            name, value = {"tax": ("税收", rng.choice([None, 3.0, 80.0, 400.0])),
                           "far": ("RJL", rng.choice(["0.5", "2.2", None])),
                           "land_use": ("YDXZ", rng.choice(["0601", "0701"])),
                           "district": ("行政区", rng.choice(DISTRICTS)),
                           "id": ("DKBH", rng.choice(["P00", f"N{step}"]))}[kind]
            command(parcels, kind, lambda: parcels.changeAttributeValue(fid, fields[name], value))  # noqa: B023
        elif kind == "delete":
            command(parcels, "delete", lambda: parcels.deleteFeature(fid))  # noqa: B023
        elif kind == "add":
            feature = QgsFeature(parcels.fields())
            feature.setGeometry(QgsGeometry.fromWkt(rect(rng.uniform(0, 500), rng.uniform(0, 300), 90, 80)))
            feature.setAttributes([f"A{step}", "0601", "1.0", 20.0, rng.choice(DISTRICTS)])
            command(parcels, "add", lambda: parcels.addFeature(feature))  # noqa: B023
        elif kind in ("bmove", "bfloors", "bdelete") and building_ids:
            bid = rng.choice(building_ids)
            if kind == "bmove":
                geometry = moved(buildings, bid, rng.uniform(-60, 60), rng.uniform(-60, 60))
                command(buildings, "move", lambda: buildings.changeGeometry(bid, geometry))  # noqa: B023
            elif kind == "bfloors":
                value = rng.choice([1, 6, 20])
                command(buildings, "floors", lambda: buildings.changeAttributeValue(bid, floors, value))  # noqa: B023
            else:
                command(buildings, "delete", lambda: buildings.deleteFeature(bid))  # noqa: B023
        elif kind == "badd":
            feature = QgsFeature(buildings.fields())
            feature.setGeometry(QgsGeometry.fromWkt(rect(rng.uniform(0, 560), rng.uniform(0, 360), 30, 30)))
            feature.setAttributes([5, None])
            command(buildings, "add", lambda: buildings.addFeature(feature))  # noqa: B023
        elif kind == "undo":
            layer = rng.choice([parcels, buildings])
            if layer.undoStack().canUndo():
                layer.undoStack().undo()
        elif kind in ("commit", "rollback"):  # the buffer's edits saved (added parcels get their ids) or undone
            layer = rng.choice([parcels, buildings])
            assert layer.commitChanges() if kind == "commit" else layer.rollBack()
            layer.startEditing()
        settle(checker)
        assert_live_equals_batch(checker, parcels, buildings, f"{step}: {kind}")
    assert checker.loads == 1  # read once, at the start: saves and rollbacks re-read only what they changed


def test_floor_area_raised_lifts_the_parcel_in_place_and_off_leaves_no_trace(layers):
    parcels, buildings = layers(5)
    parcels.startEditing()
    buildings.startEditing()
    checker = checker_of(parcels, buildings)
    before = (buffer_state(parcels), buffer_state(buildings))
    live_on(checker)
    assert (buffer_state(parcels), buffer_state(buildings)) == before  # starting reads, never writes
    live_layers = [layer for layer in QgsProject.instance().mapLayers().values()
                   if layer.customProperty(LIVE_LAYER_KEY)]
    assert {layer.id() for layer in live_layers} == {checker.result_layer.id(), checker.cluster_layer.id()}
    # a 2-storey building on a parcel raised to 12 storeys: its FAR goes up by the building's footprint × 10 / area
    result = checker.live.result
    bid, target = next((b.id(), p.id()) for b in buildings.getFeatures() for p in parcels.getFeatures()
                       if b["CS"] == 2 and p.geometry().contains(b.geometry()))
    footprint = buildings.getFeature(bid).geometry().area()
    far_before = result.at[target, "far"]
    updates = []
    checker.updated.connect(updates.append)
    command(buildings, "floors", lambda: buildings.changeAttributeValue(bid, buildings.fields().indexOf("CS"), 12))
    settle(checker)
    assert updates and target in updates[-1]
    assert checker.live.result.at[target, "far"] == pytest.approx(far_before + footprint * 10 / 10000, rel=1e-9)
    assert_live_equals_batch(checker, parcels, buildings, "storeys")
    edited = (buffer_state(parcels), buffer_state(buildings))
    checker.stop()
    assert not checker.connections
    assert not [layer for layer in QgsProject.instance().mapLayers().values() if layer.customProperty(LIVE_LAYER_KEY)]
    assert (buffer_state(parcels), buffer_state(buildings)) == edited  # the user's edits as they were
    command(buildings, "floors", lambda: buildings.changeAttributeValue(bid, buildings.fields().indexOf("CS"), 3))
    QgsApplication.processEvents()
    assert not any(checker.edits.values()) and not checker.timer.isActive()  # no longer listening


def new_parcel(layer, pid="NEW", x=700):
    feature = QgsFeature(layer.fields())
    feature.setGeometry(QgsGeometry.fromWkt(rect(x, 0, 100, 100)))
    for name, value in zip(("DKBH", "YDXZ", "RJL", "税收", "行政区"), (pid, "0601", "0.3", 1.0, "萧山")):
        feature.setAttribute(name, value)
    return feature


def test_commit_gives_the_added_parcel_its_saved_id_without_reading_everything(layers, monkeypatch):
    from land_bureau_plugin.gui import live_check

    parcels, buildings = layers(6)
    parcels.startEditing()
    checker = checker_of(parcels, buildings)
    live_on(checker)
    feature = new_parcel(parcels)
    command(parcels, "add", lambda: parcels.addFeature(feature))
    settle(checker)
    assert any(fid < 0 for fid in checker.live.result.index)  # an added feature before the save
    passes = []
    monkeypatch.setattr(live_check, "layer_order", lambda layer: passes.append(layer) or layer_order(layer))
    assert parcels.commitChanges()
    settle(checker)
    assert passes == [parcels]  # one pass over the parcels: the order checked, and the saved parcel placed by it
    assert all(fid >= 0 for fid in checker.live.result.index)
    assert_live_equals_batch(checker, parcels, buildings, "commit")
    assert checker.loads == 1


def test_a_save_leaving_features_it_did_not_tell_of_reads_everything_again(layers):
    """A save that leaves the provider holding features no signal named (a provider that added some of them and
    failed without rolling back): the ids after the save differ from the checker's, so everything is read again."""
    parcels, buildings = layers(6)
    parcels.startEditing()
    checker = checker_of(parcels, buildings)
    live_on(checker)
    command(parcels, "tax", lambda: parcels.changeAttributeValue(next(parcels.getFeatures()).id(),
                                                                 parcels.fields().indexOf("税收"), 2.0))
    stray = new_parcel(parcels, "STRAY", 800)
    parcels.afterCommitChanges.connect(lambda: parcels.dataProvider().addFeatures([stray]))  # no layer signal
    assert parcels.commitChanges()
    settle(checker)
    assert "STRAY" in set(checker.live.frame["parcel_id"])
    assert_live_equals_batch(checker, parcels, buildings, "stray")
    assert checker.loads == 2


def written(layer, path: str, driver: str, uri: str, **options):
    """`layer` written to a file by `driver`, opened as `uri` (its path and layer name) and added to the project."""
    from qgis.core import QgsVectorFileWriter, QgsVectorLayer

    settings = QgsVectorFileWriter.SaveVectorOptions()
    settings.driverName = driver
    for name, value in options.items():
        setattr(settings, name, value)
    assert QgsVectorFileWriter.writeAsVectorFormatV3(layer, path, QgsProject.instance().transformContext(),
                                                     settings)[0] == QgsVectorFileWriter.WriterError.NoError
    written = QgsVectorLayer(uri, "地块", "ogr")
    QgsProject.instance().addMapLayer(written)
    return written


def test_live_mode_reads_an_unedited_geopackage_column_by_column(layers, tmp_path, monkeypatch):
    """Live mode's start reads a GeoPackage whose edit buffer is empty as Arrow batches (read_columns'
    columnar way), with the batch run's results; read again once it holds edits, feature by feature."""
    from land_bureau_plugin.qgis_bridge import layers as reading

    memory, buildings = layers(5)
    path = str(tmp_path / "parcels.gpkg")
    parcels = written(memory, path, "GPKG", f"{path}|layername=parcels", layerName="parcels")
    columnar = []
    original = reading._read_columnar
    monkeypatch.setattr(reading, "_read_columnar",
                        lambda layer, *args: columnar.append((layer, read := original(layer, *args))) or read)
    parcels.startEditing()
    checker = checker_of(parcels, buildings)
    live_on(checker)
    assert [(layer, read[0] is not None) for layer, read in columnar] == [(parcels, True), (buildings, False)]
    del columnar[:]  # (the batch runs read through Processing's sources)
    assert_live_equals_batch(checker, parcels, buildings, "start")
    first = next(parcels.getFeatures())
    command(parcels, "tax", lambda: parcels.changeAttributeValue(first.id(), parcels.fields().indexOf("税收"), 0.5))
    del columnar[:]
    checker.reload()
    settle(checker)
    assert checker.loads == 2 and [(layer, read[0] is not None) for layer, read in columnar] == [(parcels, False),
                                                                                                (buildings, False)]
    assert_live_equals_batch(checker, parcels, buildings, "read again with an edit")
    checker.stop()
    parcels.rollBack()


def test_text_a_geopackage_stores_in_a_number_column_is_judged_alike_live_and_in_the_batch(layers, tmp_path):
    """A tax of "待定" stored by another program in the GeoPackage's REAL column: named, never a tax of 0 — when live
    mode starts (the whole layer read column by column), after an edit to that parcel (read feature by feature, a
    few parcels) and in the batch run of the edited layer (Processing's source, feature by feature)."""
    from osgeo import ogr
    from qgis.core import QgsVectorLayer

    memory, buildings = layers(5)
    path = str(tmp_path / "parcels.gpkg")
    QgsProject.instance().removeMapLayer(written(memory, path, "GPKG", f"{path}|layername=parcels",
                                                 layerName="parcels").id())
    dataset = ogr.Open(path, 1)
    dataset.ExecuteSQL("UPDATE parcels SET \"税收\" = '待定' WHERE fid = 1")
    dataset = None
    parcels = QgsVectorLayer(f"{path}|layername=parcels", "地块", "ogr")
    QgsProject.instance().addMapLayer(parcels)
    parcels.startEditing()
    checker = checker_of(parcels, buildings)
    live_on(checker)

    def judged(step):
        result = checker.live.result
        assert "待定" in result.at[1, "reasons"] and math.isnan(result.at[1, "tax_per_mu"]), step
        assert_live_equals_batch(checker, parcels, buildings, step)

    judged("start")
    command(parcels, "move", lambda: parcels.changeGeometry(1, moved(parcels, 1, 3, 0)))
    settle(checker)
    judged("moved")
    checker.stop()
    parcels.rollBack()


@pytest.mark.parametrize("driver", ["GPKG", "ESRI Shapefile"])
def test_a_parcel_drawn_into_a_file_layer_is_judged_with_its_id_to_come(layers, tmp_path, driver):
    """A parcel drawn in the desktop (QgsVectorLayerUtils.createFeature, as the add-feature tool and its form do)
    holds the provider's "Autogenerate" in the file's fid until the save: live mode judges it like any parcel — it
    refused it as text an integer field cannot store, and stopped judging until the save — and the batch run on
    the edited layer writes it (its fid left for the output to give)."""
    memory, buildings = layers(5)
    suffix, name = (".gpkg", "|layername=parcels") if driver == "GPKG" else (".shp", "")
    path = str(tmp_path / f"parcels{suffix}")
    parcels = written(memory, path, driver, f"{path}{name}", layerName="parcels")
    parcels.startEditing()
    checker, messages = started(parcels, buildings)
    feature = drawn_parcel(parcels)
    clause = parcels.dataProvider().defaultValueClause(0)
    if driver == "GPKG":
        assert parcels.fields().at(0).name() == "fid" and feature.attribute(0) == clause and clause
    command(parcels, "add", lambda: parcels.addFeature(feature))
    settle(checker)
    assert messages == []
    assert "DRAWN" in set(checker.live.frame["parcel_id"])
    assert_live_equals_batch(checker, parcels, buildings, "drawn")
    checker.stop()
    parcels.rollBack()


def test_the_default_value_clauses_are_taken_at_start_and_when_the_fields_change(layers, tmp_path, monkeypatch):
    """Live mode asks the providers for their default value clauses (filled_on_save, a question per field) once
    per watched layer at start and again when a layer's fields change — not on every edited value (it did, in the
    attributeValueChanged slot) — and still judges a drawn parcel with 'Autogenerate' in its fid without a word."""
    from qgis.PyQt.QtCore import QMetaType

    from land_bureau_plugin.gui import live_check
    from land_bureau_plugin.qgis_bridge.field_types import new_field
    from land_bureau_plugin.qgis_bridge.writing import filled_on_save

    memory, buildings = layers(5)
    path = str(tmp_path / "parcels.gpkg")
    parcels = written(memory, path, "GPKG", f"{path}|layername=parcels", layerName="parcels")
    parcels.startEditing()
    asked = []
    monkeypatch.setattr(live_check, "filled_on_save", lambda layer: asked.append(layer) or filled_on_save(layer))
    checker, messages = started(parcels, buildings)
    at_start = list(asked)
    assert parcels in at_start
    index = parcels.fields().indexOf("DKBH")
    for number, fid in enumerate([f.id() for f in parcels.getFeatures()][:10]):
        command(parcels, "id", lambda fid=fid, number=number: parcels.changeAttributeValue(fid, index, f"E{number}"))
    feature = drawn_parcel(parcels)
    command(parcels, "add", lambda: parcels.addFeature(feature))
    settle(checker)
    assert messages == [] and asked == at_start
    assert {"E0", "E9", "DRAWN"} <= set(checker.live.frame["parcel_id"])
    assert parcels.addAttribute(new_field("备注", QMetaType.Type.QString))
    assert asked == [*at_start, parcels]
    assert checker.filled["parcels"] == filled_on_save(parcels) == {0: parcels.dataProvider().defaultValueClause(0)}
    settle(checker)
    assert messages == []
    assert_live_equals_batch(checker, parcels, buildings, "edited")
    checker.stop()
    parcels.rollBack()


@pytest.mark.parametrize("key", ["serial", "identity"])
def test_a_parcel_drawn_into_a_postgis_table_is_judged_with_its_id_to_come(layers, tmp_path, pg_conn, pg_schema,
                                                                            key):
    """A parcel drawn into a PostGIS table whose id is a serial or identity column holds the provider's
    nextval(…) in it until the save: live mode judges it with no message, and a batch run on the edited layer
    gives what live mode holds, the id left for the output to give."""
    import postgis_db
    from psycopg2 import sql

    memory, buildings = layers(5)
    path = str(tmp_path / "parcels.gpkg")
    written(memory, path, "GPKG", f"{path}|layername=parcels", layerName="parcels")
    QgsProject.instance().removeMapLayer(QgsProject.instance().mapLayersByName("地块")[-1])
    postgis_db.load_gpkg(path, pg_schema, layers=("parcels",))
    table = sql.Identifier(pg_schema, "parcels")
    with pg_conn.cursor() as cur:
        cur.execute(sql.SQL("SELECT pg_get_serial_sequence(%s, 'id')"), [f'"{pg_schema}".parcels'])
        assert cur.fetchone()[0]  # ogr2ogr's id: a serial column
        if key == "identity":
            cur.execute(sql.SQL("ALTER TABLE {t} ALTER COLUMN id DROP DEFAULT; DROP SEQUENCE {s}; ALTER TABLE {t} "
                                "ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (START WITH 100)").format(
                t=table, s=sql.Identifier(pg_schema, "parcels_id_seq")))
    parcels = postgis_db.layer(pg_schema, "parcels", name="地块")
    QgsProject.instance().addMapLayer(parcels)
    assert parcels.fields().at(0).name() == "id"
    parcels.startEditing()
    checker, messages = started(parcels, buildings)
    feature = drawn_parcel(parcels)
    assert clause_of(feature["id"]).startswith("nextval(")
    command(parcels, "add", lambda: parcels.addFeature(feature))
    settle(checker)
    assert messages == []
    assert "DRAWN" in set(checker.live.frame["parcel_id"])
    assert_live_equals_batch(checker, parcels, buildings, "drawn")
    out = {f["DKBH"]: plain(f["id"]) for f in run(parcels, buildings)["OUTPUT"].getFeatures()}
    assert out.pop("DRAWN") is None and sorted(out.values()) == list(range(1, 25))
    checker.stop()
    parcels.rollBack()


def clause_of(value) -> str:
    """The default value clause a new feature's field holds: the text itself up to QGIS 3.40, wrapped in a
    QgsUnsetAttributeValue from 3.44 (createFeature)."""
    clause = getattr(value, "defaultValueClause", None)
    return clause() if callable(clause) else str(value)


def started(parcels, buildings):
    """A checker of the layers, started, and the list of the messages it failed with."""
    checker = checker_of(parcels, buildings)
    messages = []
    checker.failed.connect(messages.append)
    live_on(checker)
    return checker, messages


def drawn_parcel(parcels, pid="DRAWN"):
    """A new parcel as the desktop's add-feature tool and its form make it (QgsVectorLayerUtils.createFeature):
    the provider's default value clauses in the fields it fills on saving."""
    from qgis.core import QgsVectorLayerUtils

    drawn = new_parcel(parcels, pid)
    values = {index: drawn.attribute(index) for index in range(parcels.fields().count()) if drawn.attribute(index)}
    return QgsVectorLayerUtils.createFeature(parcels, drawn.geometry(), values)


@pytest.mark.parametrize("given", ["layer", "selected", "path", "file"])
def test_a_batch_run_writes_a_drawn_parcel_however_its_source_is_given(layers, tmp_path, given):
    """The writer takes the stand-ins of values to come from the layer the source was made from, whichever way the
    run names it: the edited layer itself, its selected features (a QgsProcessingFeatureSourceDefinition — the
    guess by layer name and fields over the parameters found no layer for it, and the run refused 'Autogenerate'
    in the fid), the edited layer's path (QGIS takes the project's layer of that source, edits and all), or the path
    of a file no layer of the project reads (Processing loads it: what the file holds)."""
    import shutil

    from qgis.core import QgsProcessingFeatureSourceDefinition

    memory, buildings = layers(5)
    path = str(tmp_path / "parcels.gpkg")
    parcels = written(memory, path, "GPKG", f"{path}|layername=parcels", layerName="parcels")
    shutil.copy(path, tmp_path / "copy.gpkg")
    saved = {f["DKBH"]: f["fid"] for f in parcels.getFeatures()}
    assert parcels.startEditing()
    feature = drawn_parcel(parcels)
    assert feature["fid"] == parcels.dataProvider().defaultValueClause(0) != ""
    command(parcels, "add", lambda: parcels.addFeature(feature))
    edited = {f["DKBH"] for f in parcels.getFeatures()}
    if not set(saved) <= edited:  # before the plugin runs at all: nothing of it to test (seen twice under load)
        pytest.skip(f"QGIS read {len(set(saved) & edited)} of the {len(saved)} saved features of the GeoPackage "
                    f"layer once its edit session began")
    expected = {**saved, "DRAWN": None}
    source = {"layer": parcels, "path": f"{path}|layername=parcels",
              "file": f"{tmp_path / 'copy.gpkg'}|layername=parcels"}.get(given)
    if given == "selected":
        chosen = [f.id() for f in parcels.getFeatures() if f["DKBH"] in ("P00", "P31", "DRAWN")]
        parcels.selectByIds(chosen)
        assert len(chosen) == 3 and sorted(parcels.selectedFeatureIds()) == sorted(chosen), (chosen, saved)
        source = QgsProcessingFeatureSourceDefinition(parcels.id(), True)
        expected = {pid: fid for pid, fid in expected.items() if pid in ("P00", "P31", "DRAWN")}
    elif given == "file":
        expected = saved
    out = {f["DKBH"]: plain(f["fid"]) for f in run(source, buildings)["OUTPUT"].getFeatures()}
    assert out == expected, (out, sorted(parcels.selectedFeatureIds()), parcels.featureCount())
    assert len(out) == {"selected": 3, "file": 24}.get(given, 25)
    parcels.rollBack()


def test_a_failed_save_leaves_the_results_of_what_the_layer_holds(layers, tmp_path):
    """A GeoPackage whose parcel ids are unique in the file: the changed tax is saved, the added parcel repeating an
    id is refused (the save fails, no afterCommitChanges) and stays in the edit buffer; the results are those of
    the layer as it now reads."""
    import sqlite3

    memory, buildings = layers(7)
    path = str(tmp_path / "parcels.gpkg")
    parcels = written(memory, path, "GPKG", f"{path}|layername=parcels", layerName="parcels")
    with sqlite3.connect(path) as db:
        db.execute('CREATE UNIQUE INDEX unique_dkbh ON parcels ("DKBH")')
    parcels.startEditing()
    checker = checker_of(parcels, buildings)
    live_on(checker)
    first = next(parcels.getFeatures())
    command(parcels, "tax", lambda: parcels.changeAttributeValue(first.id(), parcels.fields().indexOf("税收"), 2.0))
    command(parcels, "add", lambda: parcels.addFeature(new_parcel(parcels, first["DKBH"])))
    settle(checker)
    assert not parcels.commitChanges()
    assert parcels.isEditable() and parcels.editBuffer().addedFeatures()
    settle(checker)
    assert_live_equals_batch(checker, parcels, buildings, "failed save")
    assert parcels.getFeature(first.id())["税收"] == 2.0


def test_a_shapefile_renumbered_on_saving_is_read_again(layers, tmp_path):
    """Saving a deletion repacks a shapefile: the features after it take new ids (the provider's dataChanged), and
    the checker reads everything again rather than keep results under ids that now name other parcels."""
    memory, buildings = layers(7)
    path = str(tmp_path / "parcels.shp")
    parcels = written(memory, path, "ESRI Shapefile", path, fileEncoding="UTF-8")
    parcels.startEditing()
    checker = checker_of(parcels, buildings)
    live_on(checker)
    ids = [f.id() for f in parcels.getFeatures()]
    kept = parcels.getFeature(ids[-1])["DKBH"]
    command(parcels, "delete", lambda: parcels.deleteFeature(ids[2]))
    settle(checker)
    assert parcels.commitChanges()
    settle(checker)
    assert parcels.getFeature(ids[-2])["DKBH"] == kept  # renumbered: the last parcel took the id before it
    assert_live_equals_batch(checker, parcels, buildings, "repacked")
    assert checker.loads == 2


def test_a_layer_without_land_use_is_named_not_a_traceback(plugin, layers, make_layer):
    """The layer is read as live mode is turned on, judged in the worker thread: the judgement's failure is named
    once it comes back, live mode stops (its layers gone) and the panel's box is unticked, the last run shown."""
    from land_bureau_plugin.gui.efficiency_dock import EfficiencyDock

    rows = [{"wkt": rect(0, 0, 100, 100), "DKBH": "P1", "YDXZ": None, "RJL": None, "税收": 1.0, "行政区": "西湖"}]
    parcels = make_layer("Polygon", PARCEL_FIELDS, rows, "空用地性质")
    QgsProject.instance().addMapLayer(parcels)
    checker = checker_of(parcels, None)
    messages = []
    checker.failed.connect(messages.append)
    assert checker.start() and checker.starting
    turn_until(lambda: not checker.running, 30, "the failed start was not taken back")
    assert len(messages) == 1 and "空用地性质" in messages[0]
    assert not [layer for layer in QgsProject.instance().mapLayers().values() if layer.customProperty(LIVE_LAYER_KEY)]
    assert checker.idle() and checker.live is None
    dock = next(d for d in plugin.docks if isinstance(d, EfficiencyDock))
    dock.land_use_system.setCurrentIndex(dock.land_use_system.findData("gbt21010"))
    dock.parcels_combo.setLayer(parcels)
    dock.buildings_combo.setLayer(None)
    try:
        dock.live_box.setChecked(True)
        assert dock.live is not None and dock.live_box.isChecked() and dock.progress.maximum() == 0  # busy
        turn_until(lambda: dock.live is None, 30, "the panel kept a live mode that could not start")
        assert not dock.live_box.isChecked() and dock.progress.maximum() == 100
        assert not [layer for layer in QgsProject.instance().mapLayers().values()
                    if layer.customProperty(LIVE_LAYER_KEY)]
    finally:
        dock.live_box.setChecked(False)
        dock.land_use_system.setCurrentIndex(0)


def test_panel_live_mode_updates_table_and_why_in_place(plugin, layers):
    from land_bureau_plugin.gui.efficiency_dock import EfficiencyDock

    parcels, buildings = layers(9)
    dock = next(d for d in plugin.docks if isinstance(d, EfficiencyDock))
    dock.land_use_system.setCurrentIndex(dock.land_use_system.findData("gbt21010"))
    dock.parcels_combo.setLayer(parcels)
    dock.buildings_combo.setLayer(buildings)
    parcels.startEditing()
    try:
        dock.live_box.setChecked(True)
        assert dock.live is not None
        settle(dock.live)
        layer = QgsProject.instance().mapLayer(dock.result_layer_id)
        assert layer is dock.live.result_layer
        assert dock.model.rowCount() == parcels.featureCount()
        assert "Live evaluation" in dock.summary.text() or "实时" in dock.summary.text()
        fid = next(f.id() for f in parcels.getFeatures() if f["YDXZ"] == "0601")
        dock.explain(dock.live.feature_of[fid])
        command(parcels, "tax", lambda: parcels.changeAttributeValue(fid, parcels.fields().indexOf("税收"), 0.5))
        settle(dock.live)
        row = dock.table.loc[dock.live.feature_of[fid]]
        assert row["low_eff"] == 1 and dock.live.live.result.at[fid, "low_eff"] == 1
        assert dock.explained == dock.live.feature_of[fid]
        assert str(parcels.getFeature(fid)["DKBH"]) in dock.why.text()
        # another land-use reading chosen while live mode is on (every parcel industrial): it starts again on it
        first = dock.live
        dock.land_use_system.setCurrentIndex(dock.land_use_system.findData("all_industrial"))
        QgsApplication.processEvents()
        assert dock.live is not None and dock.live is not first and dock.live.rules.all_industrial
        settle(dock.live)
        assert len([lyr for lyr in QgsProject.instance().mapLayers().values()
                    if lyr.customProperty(LIVE_LAYER_KEY)]) == 2  # the first start's layers replaced, not added to
        residential = next(f.id() for f in parcels.getFeatures() if f["YDXZ"] == "0701")
        assert dock.live.live.result.at[residential, "ent_class"] is not None  # judged as industrial land now
        again = dock.live
        dock.profile_file.fileChanged.emit(dock.profile_file.filePath())  # the same choice: no new start
        QgsApplication.processEvents()
        assert dock.live is again
        dock.live_box.setChecked(False)
        assert dock.live is None
        assert not [lyr for lyr in QgsProject.instance().mapLayers().values() if lyr.customProperty(LIVE_LAYER_KEY)]
        # no run before: the panel as before one, not the live figures of edits no run made
        assert dock.summary.text() == tr("Live evaluation off: run the evaluation for its results")
        assert dock.progress.text() == "" and dock.model.rowCount() == 0
    finally:
        dock.live_box.setChecked(False)
        dock.land_use_system.setCurrentIndex(0)


def test_after_live_mode_the_panel_shows_the_last_run_again_with_its_summary(plugin, layers, wait_until_idle):
    """A run, live mode on and off: the run's layers, table, summary (said to be the last run's), per-district
    figures and full progress bar are back — while live, the summary was live mode's and the per-district box of
    the run hidden."""
    from land_bureau_plugin.gui.efficiency_dock import EfficiencyDock

    parcels, buildings = layers(9)
    dock = next(d for d in plugin.docks if isinstance(d, EfficiencyDock))
    dock.land_use_system.setCurrentIndex(dock.land_use_system.findData("gbt21010"))
    dock.parcels_combo.setLayer(parcels)
    dock.buildings_combo.setLayer(buildings)
    try:
        dock.run()
        wait_until_idle(dock)
        run = (dock.result_layer_id, dock.summary.text(), dock.districts.text(), dock.model.rowCount())
        assert dock.progress.value() == 100 and not dock.districts_box.isHidden() and run[3] == len(
            list(parcels.getFeatures()))
        parcels.startEditing()
        dock.live_box.setChecked(True)
        assert dock.districts_box.isHidden()
        settle(dock.live)
        assert dock.summary.text() != run[1] and dock.result_layer_id != run[0]
        dock.live_box.setChecked(False)
        assert (dock.result_layer_id, dock.districts.text(), dock.model.rowCount()) == (run[0], run[2], run[3])
        assert dock.summary.text() == tr("Live evaluation off: the last run's results") + "<br>" + run[1]
        assert dock.progress.value() == 100 and not dock.districts_box.isHidden()
    finally:
        dock.live_box.setChecked(False)
        dock.land_use_system.setCurrentIndex(0)


def test_panel_live_table_lists_the_largest_potentials_once_at_start(plugin, layers, monkeypatch):
    """The table's rows in live mode: the TABLE_ROWS parcels of largest potential (low-efficiency ones only when
    so chosen) as the live result layer holds them, listed once when live mode starts."""
    from land_bureau_plugin.gui import efficiency_dock

    parcels, buildings = layers(9)
    dock = next(d for d in plugin.docks if isinstance(d, efficiency_dock.EfficiencyDock))
    dock.land_use_system.setCurrentIndex(dock.land_use_system.findData("gbt21010"))
    dock.parcels_combo.setLayer(parcels)
    dock.buildings_combo.setLayer(buildings)
    monkeypatch.setattr(efficiency_dock, "TABLE_ROWS", 3)
    reads = []
    original = efficiency_dock.EfficiencyDock.read_table
    monkeypatch.setattr(efficiency_dock.EfficiencyDock, "read_table",
                        lambda self, *args: reads.append(self.result_layer_id) or original(self, *args))
    parcels.startEditing()
    try:
        dock.live_box.setChecked(True)
        settle(dock.live)
        assert reads == [dock.live.result_layer.id()]  # once, the live layer's rows
        for low_only in (False, True):
            dock.low_only.setChecked(low_only)
            features = [f for f in dock.live.result_layer.getFeatures() if f["low_eff"] == 1 or not low_only]
            potentials = sorted((f["potential_m2"] if f["potential_m2"] is not None else -1 for f in features),
                                reverse=True)
            assert len(features) > 3 and potentials[0] > potentials[-1]
            shown = {f.id(): f["potential_m2"] for f in features if f.id() in set(dock.table.index)}
            assert sorted(shown.values(), reverse=True) == potentials[:3], low_only
            assert [shown[fid] for fid in dock.table.index] == potentials[:3]  # listed largest first
    finally:
        dock.live_box.setChecked(False)
        dock.low_only.setChecked(False)
        dock.land_use_system.setCurrentIndex(0)


def test_the_judgement_runs_beside_editing_and_later_edits_are_judged_after_it(layers):
    """Judged in a worker thread: while it runs the main thread goes on (a further edit is collected, not judged on
    top of it), and once it is done the collected edits are judged; the result equals the batch run."""
    import threading

    parcels, buildings = layers(4)
    parcels.startEditing()
    checker = checker_of(parcels, buildings)
    live_on(checker)
    gate, original = threading.Event(), checker.live.update

    def held(**arguments):
        gate.wait(30)
        return original(**arguments)

    checker.live.update = held
    tax = parcels.fields().indexOf("税收")
    first, second = [f.id() for f in parcels.getFeatures()][:2]
    command(parcels, "tax", lambda: parcels.changeAttributeValue(first, tax, 1.0))
    turn_until(lambda: checker.busy is not None, 10)
    assert not checker.busy.done()  # judging while the main thread turns its event loop
    command(parcels, "tax", lambda: parcels.changeAttributeValue(second, tax, 900.0))
    QgsApplication.processEvents()
    assert second in checker.pending and not checker.idle()
    gate.set()
    settle(checker)
    assert_live_equals_batch(checker, parcels, buildings, "after the held judgement")


def test_live_mode_starts_beside_editing_and_an_edit_made_meanwhile_is_in_its_first_result(layers, monkeypatch):
    """Turning live mode on reads the layers and leaves the first judgement of everything to the worker thread: while
    it is held there the main thread's event loop goes on (a timer keeps firing, an edit is taken), nothing is drawn
    or announced, and the first result announced — once, every parcel — already holds the edit, equal to the batch
    run on the edited layers."""
    import threading

    from land_bureau_plugin.gui import live_efficiency

    parcels, buildings = layers(6)
    parcels.startEditing()
    gate, original = threading.Event(), live_efficiency.LiveParcels

    def held(*args, **kwargs):
        gate.wait(10)
        return original(*args, **kwargs)

    monkeypatch.setattr(live_efficiency, "LiveParcels", held)
    checker = checker_of(parcels, buildings)
    announced, first = [], []

    def updated(fids):
        announced.append(set(fids))
        if len(announced) == 1:
            first.append(checker.live.result.copy())
    checker.updated.connect(updated)
    ticks = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(checker.starting))
    timer.start(0)
    try:
        assert checker.start()
        assert checker.starting and checker.busy is not None and not gate.is_set()
        turn_until(lambda: len(ticks) >= 20, 10, "the main thread was held while live mode started")
        fid = [f.id() for f in parcels.getFeatures()][3]
        command(parcels, "tax", lambda: parcels.changeAttributeValue(fid, parcels.fields().indexOf("税收"), 0.25))
        turn_until(lambda: len(ticks) >= 40, 10, "the main thread was held after an edit while starting")
        assert all(ticks) and checker.starting and not announced  # all of it while the judgement was held
        assert checker.result_layer.featureCount() == 0 and fid in checker.pending
        gate.set()
        settle(checker)
    finally:
        timer.stop()
        gate.set()
    assert announced == [set(parcels.allFeatureIds())]  # once, every parcel
    assert checker.loads == 1
    assert_live_equals_batch(checker, parcels, buildings, "edited while starting")
    assert len(first) == 1 and first[0].equals(checker.live.result)  # what was announced first is all there is


def test_off_while_a_judgement_runs_does_not_wait_for_it(layers):
    """Live mode turned off while the worker thread judges (a whole layer after a rules edit takes seconds at a
    city's size): stop() returns at once, its layers gone; the judgement ends on its own, its result unused."""
    import threading

    parcels, buildings = layers(4)
    parcels.startEditing()
    checker = checker_of(parcels, buildings)
    live_on(checker)
    gate, original, ended = threading.Event(), checker.live.update, threading.Event()

    def held(**arguments):
        gate.wait(30)
        try:
            return original(**arguments)
        finally:
            ended.set()

    checker.live.update = held
    command(parcels, "tax", lambda: parcels.changeAttributeValue(next(parcels.getFeatures()).id(),
                                                                 parcels.fields().indexOf("税收"), 1.0))
    turn_until(lambda: checker.busy is not None, 10)
    running = checker.busy
    checker.stop()  # with the gate closed: waiting for the judgement would wait the gate's 30 s
    assert not running.done() and not gate.is_set()
    assert not [layer for layer in QgsProject.instance().mapLayers().values() if layer.customProperty(LIVE_LAYER_KEY)]
    gate.set()
    assert ended.wait(30)
    running.exception(30)  # ended, whatever it met of the checker taken down
    QgsApplication.processEvents()
    assert checker.busy is None and checker.writing is None
    parcels.rollBack()


def test_on_and_off_leaves_every_signal_of_the_layers_and_the_project_with_the_receivers_it_had(plugin, layers):
    """Through the panel: the receivers of every signal of the parcels and buildings layers, their edit buffers,
    the project and its layer tree the same after live mode is turned off as before it was turned on (twice), and
    the layers' own settings (renderer, form configuration, custom properties …) untouched."""
    from signal_receivers import all_receivers, deferred_deletes, differences, layer_settings

    from land_bureau_plugin.gui.efficiency_dock import EfficiencyDock
    from land_bureau_plugin.gui.live_check import EDIT_SIGNALS, RELOAD_SIGNALS, SAVE_SIGNALS

    parcels, buildings = layers(4)
    project = QgsProject.instance()
    dock = next(d for d in plugin.docks if isinstance(d, EfficiencyDock))
    dock.land_use_system.setCurrentIndex(dock.land_use_system.findData("gbt21010"))
    dock.parcels_combo.setLayer(parcels)
    dock.buildings_combo.setLayer(buildings)
    parcels.startEditing()
    buildings.startEditing()
    QgsApplication.processEvents()
    deferred_deletes()
    watched = {"parcels": parcels, "buildings": buildings, "parcel_buffer": parcels.editBuffer(),
               "building_buffer": buildings.editBuffer(), "project": project, "tree": project.layerTreeRoot()}
    before = all_receivers(watched)
    settings = (layer_settings(parcels), layer_settings(buildings))
    project_layers = set(project.mapLayers())
    listened = [*EDIT_SIGNALS, *RELOAD_SIGNALS, *(name for pair in SAVE_SIGNALS for name in pair[:2]),
                "willBeDeleted"]
    tax = parcels.fields().indexOf("税收")
    try:
        for _ in range(2):
            dock.live_box.setChecked(True)
            assert dock.live is not None
            during = differences(before, all_receivers(watched))
            assert all(during.get((layer, name), (0, 0))[1] > during.get((layer, name), (0, 0))[0]
                       for layer in ("parcels", "buildings") for name in listened), during  # the count sees them
            fid = next(parcels.getFeatures()).id()
            command(parcels, "tax", lambda fid=fid: parcels.changeAttributeValue(fid, tax, 0.5))
            settle(dock.live)
            dock.live_box.setChecked(False)
            deferred_deletes()
            assert differences(before, all_receivers(watched)) == {}
            assert (layer_settings(parcels), layer_settings(buildings)) == settings
            assert set(project.mapLayers()) == project_layers
    finally:
        dock.live_box.setChecked(False)
        dock.land_use_system.setCurrentIndex(0)


def test_panel_table_follows_the_live_results_worked_out_beside_editing(plugin, layers, monkeypatch):
    """The panel's table in live mode: after each edit its rows read what the live result layer holds (read back
    from the layer here), the view is told of exactly the rows whose values changed (the span of the signal starts
    and ends at one), what the update does to the table is worked out in the worker thread with the drawing, and
    the summary line counts what a batch run finds."""
    import threading

    from land_bureau_plugin.gui import efficiency_dock
    from land_bureau_plugin.gui.efficiency_dock import EfficiencyDock

    parcels, buildings = layers(9)
    dock = next(d for d in plugin.docks if isinstance(d, EfficiencyDock))
    dock.land_use_system.setCurrentIndex(dock.land_use_system.findData("gbt21010"))
    dock.parcels_combo.setLayer(parcels)
    dock.buildings_combo.setLayer(buildings)
    parcels.startEditing()
    threads = []
    follow = efficiency_dock.LiveTable.follow

    def followed(self, checker, fids):
        threads.append(threading.current_thread() is threading.main_thread())
        return follow(self, checker, fids)

    monkeypatch.setattr(efficiency_dock.LiveTable, "follow", followed)
    spans = []
    dock.model.dataChanged.connect(lambda first, last, *_: spans.append((first.row(), last.row())))
    tax = parcels.fields().indexOf("税收")
    try:
        dock.live_box.setChecked(True)
        settle(dock.live)
        rng = random.Random(9)
        redrawn = 0
        for step in range(6):
            fid = rng.choice([f.id() for f in parcels.getFeatures()])
            value = rng.choice([0.5, 30.0, 400.0])
            before = dock.model.frame.copy()
            spans.clear()
            threads.clear()
            command(parcels, "tax", lambda: parcels.changeAttributeValue(fid, tax, value))  # noqa: B023
            settle(dock.live)
            assert threads == [False], step  # worked out in the worker thread, once
            listed = dock.read_table(QgsFeatureRequest().setFilterFids(list(dock.table.index)))
            assert list(dock.table.columns) == list(listed.columns)
            for feature in dock.table.index:
                for column in dock.table.columns:
                    assert same(dock.table.at[feature, column], listed.at[feature, column]), (step, feature, column)
            after = dock.model.frame
            assert list(after.index) == list(before.index)  # the rows stay where they are
            changed = [row for row in range(len(after))
                       if not all(same(a, b) for a, b in zip(before.iloc[row].tolist(), after.iloc[row].tolist()))]
            if changed:
                assert len(spans) == 1 and spans[0] == (changed[0], changed[-1]), step
                redrawn += len(changed)
            else:
                assert not spans, step
        assert redrawn > 0  # the edits changed rows of the table
        features = list(run(parcels, buildings)["OUTPUT"].getFeatures())
        low = [f for f in features if f["low_eff"] == 1]
        clusters = len({f["cluster_id"] for f in features if plain(f["cluster_id"])})
        mu = sum(f["area_mu"] for f in low)
        assert re.findall(r"\d[\d,]*(?:\.\d+)?", dock.summary.text()) == [
            str(len(features)), str(len(low)), f"{mu:,.1f}", str(clusters)]
    finally:
        dock.live_box.setChecked(False)
        dock.land_use_system.setCurrentIndex(0)


def test_a_judgement_is_written_a_slice_a_turn_and_announced_once_all_written(layers, monkeypatch):
    """The changed values of a threaded judgement go to the result layer WRITE_CHUNK features a provider call, the
    main thread writing at most WRITE_BUDGET_MS per turn of the event loop: `updated` comes once all is written,
    the checker is not idle until then, and an edit made between two slices is judged after the last one."""
    from land_bureau_plugin.gui import live_check, live_efficiency

    monkeypatch.setattr(live_efficiency, "WRITE_CHUNK", 1)
    monkeypatch.setattr(live_check, "WRITE_BUDGET_MS", 0)
    parcels, buildings = layers(4)
    parcels.startEditing()
    checker = checker_of(parcels, buildings)
    live_on(checker)
    slices, updates = [], []
    original = checker.apply_draw

    def apply_draw(drawing, deadline=None):
        slices.append(len(drawing.slices) if drawing is not None else 0)
        return original(drawing, deadline)

    checker.apply_draw = apply_draw
    checker.updated.connect(updates.append)
    tax = parcels.fields().indexOf("税收")
    first, second = [f.id() for f in parcels.getFeatures()][:2]
    command(parcels, "tax", lambda: parcels.changeAttributeValue(first, tax, 900.0))
    turn_until(lambda: checker.writing is not None, 30)
    written = len(checker.writing[1].changes)
    assert written > 2  # the district's ranks and reasons: values of several features changed
    assert slices == [written] and not updates and not checker.idle()  # one feature written, the rest to come
    command(parcels, "tax", lambda: parcels.changeAttributeValue(second, tax, 1.0))
    QgsApplication.processEvents()
    assert checker.busy is None and second in checker.pending  # not judged while the first is being written
    turn_until(lambda: len(slices) >= written, 30)
    assert slices[:written] == list(range(written, 0, -1))  # a feature a turn
    assert len(updates) == 1 and first in updates[0]  # announced with the last
    settle(checker)
    assert len(updates) == 2 and second in updates[1]
    assert_live_equals_batch(checker, parcels, buildings, "written in slices")


@pytest.mark.parametrize(("features", "sizes"), [(0, []), (999, [999]), (1000, [1000]), (1001, [1000, 1])])
def test_changed_values_are_cut_in_slices_of_write_chunk(features, sizes):
    from land_bureau_plugin.gui.live_efficiency import WRITE_CHUNK, _slices

    assert WRITE_CHUNK == 1000
    changes = {fid: {3: fid} for fid in range(features)}
    cut = _slices("result", changes)
    assert [len(part) for _name, part in cut] == sizes and {name for name, _part in cut} <= {"result"}
    assert [fid for _name, part in cut for fid in part] == list(range(features))  # in order, each once


def test_a_threshold_edited_in_the_rules_editor_judges_the_live_results_again_with_it(plugin, layers, tmp_path,
                                                                                      monkeypatch):
    """With live mode on, the minimum FAR of 0601 set in the rules editor at a parcel's FAR, just above it and just
    below it, then the shared edge that links a merge cluster raised past every parcel's edge: after each, every
    parcel judged again with the edited rules (in the worker thread, nothing read again) — live equals
    landbureau:lowefficiency run with the edited profile, and the parcel's FAR reason comes and goes with the
    threshold."""
    import threading

    from land_bureau_plugin.analysis.efficiency_live import LiveParcels
    from land_bureau_plugin.analysis.messages import split_reasons
    from land_bureau_plugin.gui.efficiency_dock import EfficiencyDock
    from land_bureau_plugin.gui.efficiency_rules_editor import CODE, MIN_FAR
    from land_bureau_plugin.rules.profile import save_profile

    parcels, buildings = layers(5)
    dock = next(d for d in plugin.docks if isinstance(d, EfficiencyDock))
    dock.land_use_system.setCurrentIndex(dock.land_use_system.findData("gbt21010"))
    dock.parcels_combo.setLayer(parcels)
    dock.buildings_combo.setLayer(buildings)
    parcels.startEditing()
    editor = dock.editor
    try:
        dock.live_box.setChecked(True)
        checker = dock.live
        assert checker is not None
        settle(checker)
        threads = []  # where every parcel is judged (LiveParcels.check_all)
        judge_all = LiveParcels.check_all
        monkeypatch.setattr(LiveParcels, "check_all",
                            lambda live: (threads.append(threading.current_thread()), judge_all(live))[1])
        loads = []
        prepare_load = checker.prepare_load
        checker.prepare_load = lambda: (loads.append(1), prepare_load())[1]
        result = checker.live.result
        fid = next(fid for fid in result.index if parcels.getFeature(fid)["YDXZ"] == "0601" and result.at[fid, "far"]
                   and result.at[fid, "far"] > 0.2)
        far = float(result.at[fid, "far"])
        row = next(r for r in range(editor.codes.rowCount()) if editor._text(r, CODE) == "0601")
        reasons = {}

        def edited(step, change):
            change()
            settle(checker)
            path = tmp_path / f"{step}.json"
            save_profile(editor.edited_profile(), str(path))
            assert_live_equals_batch(checker, parcels, buildings, step, PROFILE=str(path))
            reasons[step] = split_reasons(checker.live.result.at[fid, "reasons"] or "")

        edited("at", lambda: editor.codes.item(row, MIN_FAR).setText(repr(far)))
        edited("above", lambda: editor.codes.item(row, MIN_FAR).setText(repr(far + 0.001)))
        edited("below", lambda: editor.codes.item(row, MIN_FAR).setText(repr(far - 0.001)))
        assert len(reasons["above"]) == len(reasons["at"]) + 1 and reasons["below"] == reasons["at"]
        clusters = int((checker.live.result["cluster_id"] > 0).sum())
        edited("edge", lambda: editor.shared_edge.setValue(5000.0))  # longer than any parcel's side
        assert clusters and not (checker.live.result["cluster_id"] > 0).any()
        assert len(threads) == 4 and threading.main_thread() not in threads and not loads
        assert dock.live is checker  # judged again, not started again
    finally:
        dock.live_box.setChecked(False)
        dock.load_profile("")
        dock.land_use_system.setCurrentIndex(0)


def test_text_in_a_number_field_is_refused_live_as_the_batch_run_refuses_it(plugin, layers, make_layer):
    """A script puts "1.5%" into the parcels' Real FAR field (the attribute form and table would not take it): the
    batch run refuses the layer, naming the value, and live mode refuses it with the same message — it does not
    judge "1.5%" as a FAR of 0.015 — keeping the results it had until the value is corrected, then equals the batch
    run again. A layer holding such a value when live mode is turned on does not start, with that message."""
    from qgis.core import QgsProcessingException

    fields = [(name, "double" if name == "RJL" else kind) for name, kind in PARCEL_FIELDS]
    rows = [parcel(f"P{i}", rect(i * 100, 0, 100, 100), land_use="0601", far=1.2, tax=50.0 + i, district="萧山")
            for i in range(4)]
    parcels = make_layer("Polygon", fields, rows, "地块")
    QgsProject.instance().addMapLayers([parcels])
    try:
        parcels.startEditing()
        checker = checker_of(parcels, None)
        messages = []
        checker.failed.connect(messages.append)
        live_on(checker)
        fid = next(parcels.getFeatures()).id()
        far, tax = parcels.fields().indexOf("RJL"), parcels.fields().indexOf("税收")
        before = checker.live.result.copy()
        command(parcels, "FAR", lambda: parcels.changeAttributeValue(fid, far, "1.5%"))
        settle(checker)
        with pytest.raises(QgsProcessingException) as refused:
            run(parcels)
        batch = str(refused.value)
        assert "1.5%" in batch and "RJL" in batch
        assert messages == [tr("Live check of layer {layer}: {error}").format(layer="地块", error=batch)]
        assert checker.live.result.equals(before)  # not judged as a FAR of 0.015
        other = [f.id() for f in parcels.getFeatures()][1]
        command(parcels, "tax", lambda: parcels.changeAttributeValue(other, tax, 0.5))  # refused too: one layer
        settle(checker)
        assert len(messages) == 2 and messages[-1] == messages[0] and checker.live.result.equals(before)
        command(parcels, "FAR", lambda: parcels.changeAttributeValue(fid, far, 1.5))
        settle(checker)
        assert len(messages) == 2
        assert checker.live.result.at[fid, "far"] == 1.5 and checker.live.result.at[other, "tax_per_mu"] != \
            before.at[other, "tax_per_mu"]  # both edits judged once the value is corrected
        assert_live_equals_batch(checker, parcels, None, "corrected")
        pasted = QgsFeature(parcels.fields())  # a feature added by a script (or pasted) brings its values along
        pasted.setGeometry(QgsGeometry.fromWkt(rect(500, 0, 100, 100)))
        pasted.setAttributes(["NEW", "0601", "2.0倍", 9.0, "萧山"])
        command(parcels, "add", lambda: parcels.addFeature(pasted))
        settle(checker)
        with pytest.raises(QgsProcessingException) as refused:
            run(parcels)
        assert "2.0倍" in str(refused.value) and len(messages) == 3
        assert messages[-1] == tr("Live check of layer {layer}: {error}").format(layer="地块", error=str(refused.value))
        added = next(f.id() for f in parcels.getFeatures() if f["DKBH"] == "NEW")
        command(parcels, "delete", lambda: parcels.deleteFeature(added))
        settle(checker)
        assert len(messages) == 3
        assert_live_equals_batch(checker, parcels, None, "deleted")
        checker.stop()
        command(parcels, "FAR", lambda: parcels.changeAttributeValue(fid, far, "1.5%"))
        again = checker_of(parcels, None)
        failures = []
        again.failed.connect(failures.append)
        assert not again.start()
        assert len(failures) == 1 and batch in failures[0]
    finally:
        parcels.rollBack()


def test_panel_live_off_redraws_the_map_and_says_live_evaluation_is_off(plugin, layers, monkeypatch):
    """Off: the canvas draws again without the removed live layers (QGIS 3.22 kept its cached image of them), and
    the summary no longer gives the live figures."""
    from land_bureau_plugin.gui.efficiency_dock import EfficiencyDock

    parcels, buildings = layers(9)
    dock = next(d for d in plugin.docks if isinstance(d, EfficiencyDock))
    dock.land_use_system.setCurrentIndex(dock.land_use_system.findData("gbt21010"))
    dock.parcels_combo.setLayer(parcels)
    dock.buildings_combo.setLayer(buildings)
    canvas = plugin.iface.mapCanvas()
    refreshed = []
    monkeypatch.setattr(canvas, "refresh", lambda: refreshed.append(
        [lyr for lyr in QgsProject.instance().mapLayers().values() if lyr.customProperty(LIVE_LAYER_KEY)]))
    try:
        dock.live_box.setChecked(True)
        assert dock.live is not None
        live_text = dock.summary.text()
        refreshed.clear()
        dock.live_box.setChecked(False)
        assert refreshed == [[]]  # once, with the live layers gone
        off = dock.summary.text()
        assert off != live_text and "Live evaluation:" not in off and "实时评价：" not in off
        assert "Live evaluation off" in off or "实时评价已关闭" in off
    finally:
        dock.live_box.setChecked(False)
        dock.land_use_system.setCurrentIndex(0)
