"""The test cluster's port (scripts/pg_cluster.sh `port`): two checkouts on one machine must be able to run
`make test` at the same time, so a checkout takes a free port of its own instead of a fixed 54329."""
import hashlib
import os
import shutil
import socket
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "pg_cluster.sh"

pytestmark = pytest.mark.skipif(not shutil.which("ss"), reason="needs ss (iproute2, installed by make setup)")


@pytest.fixture()
def cluster_dir(tmp_path):
    """A cluster directory nobody started; its /tmp twin (made when the server's OS user cannot reach it) removed."""
    folder = tmp_path / "pg"
    yield folder
    twin = Path("/tmp") / f"landbureau-pg-{hashlib.sha1(str(folder).encode()).hexdigest()[:10]}"
    shutil.rmtree(twin, ignore_errors=True)


def port_for(folder: Path, **extra) -> int:
    env = {k: v for k, v in os.environ.items() if k != "LB_PG_PORT"}
    env.update(LB_PG_DIR=str(folder), **extra)
    done = subprocess.run(["bash", str(SCRIPT), "port"], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return int(done.stdout)


def listening(port: int) -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", port))
    sock.listen()
    return sock


def test_port_derived_from_the_checkout_is_stable(cluster_dir):
    first = port_for(cluster_dir)
    assert 54330 <= first <= 55329
    assert port_for(cluster_dir) == first


def test_a_taken_port_is_skipped(cluster_dir):
    first = port_for(cluster_dir)
    with listening(first):
        second = port_for(cluster_dir)
        assert second != first and 54330 <= second <= 55329
        with listening(second):  # the new choice is really free: it can be bound
            assert port_for(cluster_dir) not in (first, second)
    assert port_for(cluster_dir) == first


def test_service_file_port_kept_while_free(cluster_dir):
    """A stopped cluster restarts on the port its service file names, so the file stays right."""
    cluster_dir.mkdir()
    recorded = 54330 + (port_for(cluster_dir) - 54330 + 7) % 1000
    (cluster_dir / "pg_service.conf").write_text(f"[landbureau]\nhost=127.0.0.1\nport={recorded}\n")
    assert port_for(cluster_dir) == recorded
    with listening(recorded):
        assert port_for(cluster_dir) != recorded


def test_explicit_port_wins(cluster_dir):
    assert port_for(cluster_dir, LB_PG_PORT="54400") == 54400
