"""Helpers for the bad-input tests: files on disk as users have them, and checksums proving the sources unchanged."""
import hashlib
from pathlib import Path


def write_gpkg(layer, path, layer_name: str, append: bool = False) -> str:
    """`layer` saved as table `layer_name` of the GeoPackage `path` (a new file, or one more table); its URI."""
    from qgis.core import QgsCoordinateTransformContext, QgsVectorFileWriter

    options = QgsVectorFileWriter.SaveVectorOptions()
    options.layerName = layer_name
    options.driverName = "GPKG"
    if append:
        options.actionOnExistingFile = QgsVectorFileWriter.ActionOnExistingFile.CreateOrOverwriteLayer
    error = QgsVectorFileWriter.writeAsVectorFormatV3(layer, str(path), QgsCoordinateTransformContext(), options)
    assert error[0] == QgsVectorFileWriter.WriterError.NoError, error
    return f"{path}|layername={layer_name}"


def checksums(*paths) -> dict[str, str]:
    """sha256 of every file given and of every file in the directories given (sidecars included)."""
    files = []
    for path in map(Path, paths):
        files += sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
    return {str(p): hashlib.sha256(p.read_bytes()).hexdigest() for p in files}


def gpkg_tables(path) -> list[str]:
    import sqlite3

    with sqlite3.connect(str(path)) as db:
        return sorted(row[0] for row in db.execute("SELECT table_name FROM gpkg_contents"))
