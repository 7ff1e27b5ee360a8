"""Backup and restore round trip through the real command line."""

from __future__ import annotations


def test_backup_and_restore_round_trip(run_niaga, tmp_path):
    run_niaga("config", "set", "core.shop_name", "Sebelum")
    target = tmp_path / "cadangan.bak"
    assert "Backup written" in run_niaga("backup", str(target)).stdout
    assert target.stat().st_size > 0
    run_niaga("config", "set", "core.shop_name", "Sesudah")
    run_niaga("restore", str(target), "--yes")
    assert run_niaga("config", "get", "core.shop_name").stdout.strip() == "Sebelum"


def test_restore_of_a_missing_file_is_refused(run_niaga, tmp_path):
    result = run_niaga("restore", str(tmp_path / "nope.bak"), "--yes", check=False)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
