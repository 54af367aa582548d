"""The zh_CN translation is complete for every string the code marks, and keeps every {placeholder}."""
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TS = ROOT / "i18n" / "land_bureau_plugin_zh_CN.ts"
PLACEHOLDER = re.compile(r"\{\w*\}")


def messages(path: Path) -> dict[tuple[str, str], ET.Element]:
    found = {}
    for context in ET.parse(path).getroot().iter("context"):
        name = context.find("name").text
        for message in context.iter("message"):
            found[(name, message.find("source").text)] = message.find("translation")
    return found


@pytest.mark.skipif(shutil.which("pylupdate5") is None, reason="pylupdate5 (pyqt5-dev-tools) not installed")
def test_every_marked_string_is_in_the_committed_translation(tmp_path):
    fresh = tmp_path / "fresh.ts"
    sources = sorted(str(p) for p in (ROOT / "land_bureau_plugin").rglob("*.py"))
    subprocess.run(["pylupdate5", "-noobsolete", *sources, "-ts", str(fresh)], check=True, capture_output=True)
    missing = set(messages(fresh)) - set(messages(TS))
    assert not missing, f"run `make i18n-update` and translate: {sorted(missing)[:10]}"


def test_every_translation_is_finished_and_keeps_placeholders():
    for (_context, source), translation in messages(TS).items():
        assert translation.get("type") not in ("unfinished", "obsolete"), source
        assert translation.text and translation.text.strip(), source
        assert sorted(PLACEHOLDER.findall(source)) == sorted(PLACEHOLDER.findall(translation.text)), source
        if re.search(r"[A-Za-z]", PLACEHOLDER.sub("", source)):
            assert re.search(r"[\u4e00-\u9fff]", translation.text), f"not Chinese: {source} → {translation.text}"
        else:  # punctuation only (the list separator ", "): its full-width Chinese form
            assert re.search(r"[\u3000-\u303f\uff00-\uffef]", translation.text), f"{source!r} → {translation.text!r}"
