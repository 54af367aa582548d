"""The missing-dependency message names what is missing and how to get it on the platform QGIS runs on: OSGeo4W
packages on Windows, Debian/Ubuntu packages where the release ships a new enough one, pip (user site, no deps)
only where it does not. Platforms are simulated: sys.platform and os-release are parameters."""
import pytest

from land_bureau_plugin import install_advice
from land_bureau_plugin.install_advice import advice, os_release

DEBIAN_12 = {"ID": "debian", "VERSION_ID": "12", "PRETTY_NAME": "Debian GNU/Linux 12 (bookworm)"}
DEBIAN_13 = {"ID": "debian", "VERSION_ID": "13", "PRETTY_NAME": "Debian GNU/Linux 13 (trixie)"}
DEBIAN_SID = {"ID": "debian", "PRETTY_NAME": "Debian GNU/Linux trixie/sid"}  # unstable has no VERSION_ID
UBUNTU_22 = {"ID": "ubuntu", "ID_LIKE": "debian", "VERSION_ID": "22.04", "PRETTY_NAME": "Ubuntu 22.04.5 LTS"}
UBUNTU_24 = {"ID": "ubuntu", "ID_LIKE": "debian", "VERSION_ID": "24.04", "PRETTY_NAME": "Ubuntu 24.04.1 LTS"}
MINT = {"ID": "linuxmint", "ID_LIKE": "ubuntu debian", "VERSION_ID": "22"}
FEDORA = {"ID": "fedora", "VERSION_ID": "41"}


def test_windows_names_the_osgeo4w_packages_and_no_pip():
    text = advice(["shapely ≥ 2.0", "pandas ≥ 1.5"], system="win32")
    assert text.startswith("Land Bureau needs shapely ≥ 2.0, pandas ≥ 1.5.")
    assert "python3-shapely, python3-pandas" in text and "OSGeo4W" in text
    assert "pip" not in text and "apt" not in text


def test_windows_ignores_a_linux_release_file():
    assert advice(["numpy ≥ 1.21"], system="win32", release=DEBIAN_12) == advice(["numpy ≥ 1.21"], system="win32")


@pytest.mark.parametrize("release", [DEBIAN_13, DEBIAN_SID, UBUNTU_24, MINT])
def test_releases_with_shapely_2_get_apt_only(release):
    text = advice(["shapely ≥ 2.0 (0+unknown)"], system="linux", release=release)
    assert "sudo apt install python3-shapely," in text and "pip" not in text


def test_debian_12_shapely_from_pip_pandas_from_apt():
    """Debian 12 ships shapely 1.8 (too old) and pandas 1.5 (fine)."""
    text = advice(["pandas ≥ 1.5", "shapely ≥ 2.0 (1.8.5)"], system="linux", release=DEBIAN_12)
    assert "sudo apt install python3-pandas," in text and "python3-shapely" not in text
    assert "Debian GNU/Linux 12 (bookworm) ships shapely older" in text
    assert 'pip install --user --break-system-packages --no-deps "shapely==2.0.6"' in text


def test_ubuntu_22_needs_pip_for_both():
    text = advice(["shapely ≥ 2.0", "pandas ≥ 1.5"], system="linux", release=UBUNTU_22)
    assert "apt install" not in text
    assert '--no-deps "shapely==2.0.6" "pandas>=1.5"' in text and "ships shapely, pandas older" in text


@pytest.mark.parametrize("system, release", [("linux", FEDORA), ("darwin", {})])
def test_other_platforms_get_the_pip_requirement(system, release):
    text = advice(["shapely ≥ 2.0"], system=system, release=release)
    assert '"shapely==2.0.6"' in text and "apt" not in text and "OSGeo4W" not in text


def test_every_sentence_goes_through_the_translation():
    seen = []

    def translate(template):
        seen.append(template)
        return "«" + template + "»"

    text = advice(["shapely ≥ 2.0"], system="linux", release=DEBIAN_12, translate=translate)
    assert seen == [install_advice.NEEDS, install_advice.TOO_OLD]
    assert text.count("«") == 2


def test_os_release_parsing(tmp_path):
    path = tmp_path / "os-release"
    path.write_text('PRETTY_NAME="Debian GNU/Linux 13 (trixie)"\nID=debian\nVERSION_ID="13"\n# comment\n',
                    encoding="utf-8")
    assert os_release(str(path)) == {"PRETTY_NAME": "Debian GNU/Linux 13 (trixie)", "ID": "debian",
                                     "VERSION_ID": "13"}
    assert os_release(str(tmp_path / "absent")) == {}
