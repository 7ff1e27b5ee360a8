"""Secret settings: sealed in the database, never in the audit log (new or old rows, API or
page), and backups readable by their owner only."""

from __future__ import annotations

import os
import stat

import pytest
import sqlalchemy as sa

from niaga import settings
from niaga.models import AuditLog, Setting
from niaga.testing import csrf_token

pytestmark = pytest.mark.plugins("payments")

SERVER_KEY = "SB-Mid-server-RAHASIA-0123456789"


def _raw_setting(db, key: str) -> str:
    return str(
        db.execute(sa.text("SELECT value FROM core_setting WHERE key = :k"), {"k": key}).scalar()
    )


def test_a_secret_setting_is_sealed_at_rest_and_reads_back(db):
    settings.put(db, "payments.midtrans_server_key", SERVER_KEY)
    settings.put(db, "payments.reference_prefix", "TOKO")
    db.commit()
    db.expire_all()

    assert SERVER_KEY not in _raw_setting(db, "payments.midtrans_server_key")
    assert "$sealed" in _raw_setting(db, "payments.midtrans_server_key")
    assert "TOKO" in _raw_setting(db, "payments.reference_prefix")  # not secret: plain
    assert settings.get(db, "payments.midtrans_server_key") == SERVER_KEY


def test_sealed_settings_open_after_a_key_rotation_and_not_with_a_foreign_key(app, db):
    settings.put(db, "payments.midtrans_server_key", SERVER_KEY)
    db.commit()
    app.config["SEAL_KEYS"] = ["kunci-baru-yang-panjang", app.config["SECRET_KEY"]]
    db.expire_all()
    assert settings.get(db, "payments.midtrans_server_key") == SERVER_KEY

    app.config["SEAL_KEYS"] = ["kunci-lain-sama-sekali"]
    db.expire_all()
    assert settings.get(db, "payments.midtrans_server_key") is None


def test_saving_the_same_secret_again_records_no_change(db):
    settings.put(db, "payments.midtrans_server_key", SERVER_KEY)
    db.commit()
    before = db.scalar(sa.select(sa.func.count()).select_from(AuditLog))
    settings.put(db, "payments.midtrans_server_key", SERVER_KEY)
    db.commit()
    assert db.scalar(sa.select(sa.func.count()).select_from(AuditLog)) == before


def test_a_manager_sees_that_a_secret_changed_but_not_its_value(app, logged_in, make_user, api_as):
    response = logged_in.post(
        "/admin/plugins/payments/settings",
        data={"midtrans_server_key": SERVER_KEY, "csrf_token": csrf_token(logged_in)},
    )
    assert response.status_code == 302

    manager = api_as(make_user("manager"), ["core.audit"])
    answer = manager.get("/api/core/audit?entity=core_setting&page_size=100")
    assert answer.status_code == 200
    rows = [r for r in answer.json if r["entity_id"] == "payments.midtrans_server_key"]
    assert rows and rows[0]["after"]["value"] == "********"
    assert SERVER_KEY not in answer.get_data(as_text=True)
    page = logged_in.get("/admin/audit?entity=core_setting")
    assert SERVER_KEY not in page.get_data(as_text=True)

    with app.app_context():
        from niaga.db import session

        stored = session().execute(sa.text("SELECT after FROM core_audit_log")).scalars().all()
    assert not any(SERVER_KEY in str(value) for value in stored)


def test_old_audit_rows_with_a_secret_in_clear_are_masked_when_shown(app, db, api, logged_in):
    for key, value in (
        ("payments.reference_prefix", "TOKO"),  # not secret: shown as it is
        ("payments.xendit_callback_token", "baru-RAHASIA"),
    ):
        db.add(
            AuditLog(
                actor="user:1:owner@toko.id",
                action="update",
                entity="core_setting",
                entity_id=key,
                before={"value": "lama"},
                after={"value": value},
            )
        )
    db.commit()
    answer = api.get("/api/core/audit?entity=core_setting")
    assert answer.status_code == 200
    assert "RAHASIA" not in answer.get_data(as_text=True)
    assert [row["after"] for row in answer.json] == [{"value": "********"}, {"value": "TOKO"}]
    assert "RAHASIA" not in logged_in.get("/admin/audit").get_data(as_text=True)


def test_a_setting_row_is_readable_outside_the_payments_schema(db):
    db.add(Setting(key="core.shop_name", value="Toko Maju"))
    db.commit()
    db.expire_all()
    assert db.get(Setting, "core.shop_name").value == "Toko Maju"


@pytest.mark.plugins()
def test_a_backup_is_readable_by_its_owner_only(run_niaga, tmp_path):
    target = tmp_path / "cadangan" / "niaga.bak"
    run_niaga("backup", str(target))
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert stat.S_IMODE(target.parent.stat().st_mode) == 0o700

    existing = tmp_path / "lama.bak"
    existing.write_text("")
    existing.chmod(0o644)
    run_niaga("backup", str(existing))
    assert stat.S_IMODE(existing.stat().st_mode) == 0o600


def test_reseal_moves_every_secret_to_the_newest_key_so_the_old_one_can_go(app, db, run_niaga):
    app.config["SEAL_KEYS"] = ["test"]  # the command's secret_key (run_niaga)
    settings.put(db, "payments.midtrans_server_key", SERVER_KEY)
    settings.put(db, "payments.reference_prefix", "TOKO")
    db.commit()
    old = _raw_setting(db, "payments.midtrans_server_key")
    db.rollback()

    run_niaga.env["NIAGA_SEAL_KEYS"] = '["kunci-baru-yang-panjang", "test"]'
    done = run_niaga("config", "reseal")
    assert "Resealed 1 secret setting(s)" in done.stdout

    app.config["SEAL_KEYS"] = ["kunci-baru-yang-panjang"]  # the old key dropped
    db.expire_all()
    assert _raw_setting(db, "payments.midtrans_server_key") != old
    assert SERVER_KEY not in _raw_setting(db, "payments.midtrans_server_key")
    assert settings.get(db, "payments.midtrans_server_key") == SERVER_KEY
    assert settings.get(db, "payments.reference_prefix") == "TOKO"
    resealed = db.scalars(sa.select(AuditLog).where(AuditLog.actor == "cli:config reseal")).all()
    assert [row.after["value"] for row in resealed] == ["********"]


def test_reseal_names_what_no_configured_key_opens(app, db, run_niaga):
    app.config["SEAL_KEYS"] = ["kunci-yang-sudah-hilang"]
    settings.put(db, "payments.midtrans_server_key", SERVER_KEY)
    db.commit()
    refused = run_niaga("config", "reseal", check=False)
    assert refused.returncode == 1
    assert "payments.midtrans_server_key" in refused.stderr
    db.expire_all()
    app.config["SEAL_KEYS"] = ["kunci-yang-sudah-hilang"]
    assert settings.get(db, "payments.midtrans_server_key") == SERVER_KEY  # left as it was


@pytest.mark.plugins()
def test_an_encrypted_backup_holds_nothing_readable_and_restores_with_its_passphrase(
    run_niaga, tmp_path
):
    run_niaga("config", "set", "core.shop_name", "Toko Rahasia Sebelum")
    run_niaga.env["NIAGA_BACKUP_PASSPHRASE"] = "kata sandi cadangan panjang"
    target = tmp_path / "cadangan" / "niaga.bak.enc"
    run_niaga("backup", str(target), "--encrypt")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    content = target.read_bytes()
    assert content.startswith(b"NIAGA-BACKUP-ENC1")
    assert b"Toko Rahasia" not in content and b"core_setting" not in content
    assert sorted(p.name for p in target.parent.iterdir()) == ["niaga.bak.enc"]  # no plain copy

    run_niaga("config", "set", "core.shop_name", "Sesudah")
    run_niaga.env["NIAGA_BACKUP_PASSPHRASE"] = "kata sandi yang salah sekali"
    wrong = run_niaga("restore", str(target), "--yes", check=False)
    assert wrong.returncode != 0 and "Traceback" not in wrong.stderr
    assert run_niaga("config", "get", "core.shop_name").stdout.strip() == "Sesudah"

    run_niaga.env["NIAGA_BACKUP_PASSPHRASE"] = "kata sandi cadangan panjang"
    run_niaga("restore", str(target), "--yes")
    assert run_niaga("config", "get", "core.shop_name").stdout.strip() == "Toko Rahasia Sebelum"


def test_an_encrypted_backup_cut_short_is_refused(tmp_path):
    from niaga import backup as backups
    from niaga.errors import Invalid

    plain = tmp_path / "plain.bin"
    plain.write_bytes(os.urandom(3 * 1024 * 1024 + 5))  # four records
    sealed = tmp_path / "sealed.enc"
    backups.encrypt_file(plain, sealed, "kata sandi cadangan panjang")
    opened = tmp_path / "opened.bin"
    backups.decrypt_file(sealed, opened, "kata sandi cadangan panjang")
    assert opened.read_bytes() == plain.read_bytes()

    whole = sealed.read_bytes()
    cut = tmp_path / "cut.enc"
    cut.write_bytes(whole[: len(whole) // 2])
    with pytest.raises(Invalid):
        backups.decrypt_file(cut, tmp_path / "x.bin", "kata sandi cadangan panjang")
