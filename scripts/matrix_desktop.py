"""The packaged plugin in the real QGIS desktop under Xvfb, its Chinese menu opened and photographed.

Usage: python3 scripts/matrix_desktop.py PLUGIN_ZIP OUT_DIR
Installs the zip into a fresh zh-Hans profile (desktop_profile.make_profile), starts Xvfb and QGIS with this file as
its --code, which opens the plugin's menu the way a user does (a click on its title in the menu bar) and writes
OUT_DIR/menu.json (QGIS version, the menu bar's titles, the menu's entries, the message bar's warnings); then
OUT_DIR/menu.png is taken with ImageMagick `import`. Exit 0 when the menu 规划资源 was shown with entries and QGIS
reported no warning from the plugin; 1 otherwise. Used by scripts/matrix.sh inside each chroot (its own network
namespace, so display :7 is its own).
"""
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

MENU = "规划资源"


def inside_qgis(out: Path) -> None:
    """Runs in QGIS (qgis --code): open the menu, report, and leave it open for the screenshot."""
    from qgis.core import Qgis
    from qgis.PyQt.QtCore import QTimer
    from qgis.PyQt.QtWidgets import QApplication
    from qgis.utils import iface, plugins

    window = iface.mainWindow()
    window.setGeometry(QApplication.primaryScreen().geometry())  # no window manager under Xvfb
    window.show()

    def open_menu():
        report = {"qgis": Qgis.version(), "plugins": sorted(plugins), "errors": []}
        try:
            bar = window.menuBar()
            report["menus"] = [a.text() for a in bar.actions()]
            action = next((a for a in bar.actions() if a.text() == MENU), None)
            if action is not None:
                bar.setActiveAction(action)  # what a click on the title does: the menu drops down
                report["entries"] = [a.text() for a in action.menu().actions() if a.text()]
                report["shown"] = action.menu().isVisible()
            report["messages"] = [f"{i.title()}: {i.text()}" for i in iface.messageBar().items()
                                  if i.level() in (Qgis.MessageLevel.Warning, Qgis.MessageLevel.Critical)]
        except Exception as exc:  # noqa: BLE001 — reported to the outer process instead of a hung desktop
            report["errors"].append(repr(exc))
        (out / "menu.json").write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
        (out / "menu.ready").touch()

    QTimer.singleShot(5000, open_menu)


def main(plugin_zip: Path, out: Path) -> int:
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from desktop_profile import make_profile

    out.mkdir(parents=True, exist_ok=True)
    for stale in ("menu.json", "menu.ready", "menu.png"):
        (out / stale).unlink(missing_ok=True)
    work = Path(tempfile.mkdtemp(prefix="lb-desktop-"))
    make_profile(work / "profiles", plugin_zip, "zh-Hans")
    env = dict(os.environ, DISPLAY=":7", LB_MATRIX_MENU_OUT=str(out))
    env.pop("QT_QPA_PLATFORM", None)
    xvfb = subprocess.Popen(["Xvfb", ":7", "-screen", "0", "1280x800x24", "-nolisten", "tcp"])
    qgis = None
    try:
        time.sleep(1)
        with open(out / "qgis.log", "w") as log:
            qgis = subprocess.Popen(["qgis", "--profiles-path", str(work / "profiles"), "--profile", "default",
                                     "--nologo", "--noversioncheck", "--code", str(Path(__file__).resolve())],
                                    env=env, stdout=log, stderr=log)
            deadline = time.time() + 180
            while not (out / "menu.ready").exists():
                if time.time() > deadline or qgis.poll() is not None:
                    print("matrix_desktop: QGIS did not show its window (see qgis.log)", file=sys.stderr)
                    return 1
                time.sleep(0.5)
            time.sleep(1)
            subprocess.run(["import", "-window", "root", str(out / "menu.png")], env=env, check=True)
    finally:
        if qgis is not None:
            qgis.terminate()
            try:
                qgis.wait(20)
            except subprocess.TimeoutExpired:
                qgis.kill()
        xvfb.terminate()
    report = json.loads((out / "menu.json").read_text(encoding="utf-8"))
    ok = (report.get("shown") and report.get("entries") and not report["errors"]
          and not any("Land Bureau" in m or MENU in m for m in report.get("messages", [])))
    print(f"matrix_desktop: QGIS {report['qgis']}: menu {MENU} {'shown' if report.get('shown') else 'NOT shown'}, "
          f"entries {report.get('entries')}, warnings {report.get('messages')}, errors {report['errors']}")
    return 0 if ok else 1


if os.environ.get("LB_MATRIX_MENU_OUT"):  # exec'd by QGIS's --code
    inside_qgis(Path(os.environ["LB_MATRIX_MENU_OUT"]))
elif __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]), Path(sys.argv[2])))
