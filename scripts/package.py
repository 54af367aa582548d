"""Build the zip QGIS's "Install from ZIP" accepts: land_bureau_plugin/ with code, metadata.txt, resources and the
compiled translations. Usage: python scripts/package.py [DIST_DIR]  → prints the zip path."""
from __future__ import annotations

import configparser
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PLUGIN = "land_bureau_plugin"
SKIP_PARTS = {"__pycache__", ".pytest_cache"}


def version() -> str:
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(ROOT / "metadata.txt", encoding="utf-8")
    return parser["general"]["version"]


def files():
    """(path on disk, path in the zip) for everything the installed plugin needs."""
    for path in sorted((ROOT / PLUGIN).rglob("*")):
        if path.is_file() and not SKIP_PARTS & set(path.parts) and path.suffix != ".pyc":
            yield path, Path(PLUGIN) / path.relative_to(ROOT / PLUGIN)
    yield ROOT / "metadata.txt", Path(PLUGIN) / "metadata.txt"
    for path in sorted((ROOT / "resources").rglob("*")):
        if path.is_file():
            yield path, Path(PLUGIN) / path.relative_to(ROOT)
    qms = sorted((ROOT / "i18n").glob("*.qm"))
    if not qms:
        sys.exit("package: no compiled translation in i18n/ — run `make i18n` first")
    for path in qms:
        yield path, Path(PLUGIN) / "i18n" / path.name
    if (ROOT / "LICENSE").is_file():
        yield ROOT / "LICENSE", Path(PLUGIN) / "LICENSE"


def main() -> None:
    dist = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "dist"
    dist.mkdir(parents=True, exist_ok=True)
    target = dist / f"{PLUGIN}-{version()}.zip"
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for source, name in files():
            archive.write(source, name.as_posix())
    print(target)


if __name__ == "__main__":
    main()
