"""Expiry: lots drawn oldest first, what expires when, the CLI command and the job."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from niaga import settings
from niaga.db import utcnow
from niaga.meta import ScheduledJob
from niaga.runtime import collect
from niaga_loyalty import cli, expiry, ledger
from niaga_loyalty.models import Entry, Lot, Member

pytestmark = pytest.mark.plugins("loyalty")


def two_lots(db):
    """100 points expiring in 30 days, then 50 expiring in 60 days."""
    member = ledger.member_for_customer(db, 7, "Toko Sumber Rejeki")
    db.flush()
    settings.put(db, "loyalty.expiry_days", 30)
    ledger.adjust(db, member, 100, "Welcome bonus")
    settings.put(db, "loyalty.expiry_days", 60)
    ledger.adjust(db, member, 50, "Ramadan bonus")
    db.commit()
    return member


def test_points_are_spent_and_expire_oldest_first(db):
    member = two_lots(db)
    schedule = ledger.expiring(db, member)
    assert [s.points for s in schedule] == [100, 50]
    assert schedule[0].expires_at < schedule[1].expires_at
    ledger.adjust(db, member, -120, "Counter redemption")  # all of lot 1, 20 of lot 2
    db.commit()
    assert [s.points for s in ledger.expiring(db, member)] == [30]
    assert expiry.run(db, utcnow() + dt.timedelta(days=45))["expired_points"] == 0
    result = expiry.run(db, utcnow() + dt.timedelta(days=61))
    db.commit()
    assert result == {"expired_rows": 1, "expired_points": 30, "tier_changes": 0}
    db.expire_all()
    assert db.get(Member, member.id).balance == 0
    assert ledger.problems(db) == []


def test_expiry_takes_only_what_is_due(db):
    member = two_lots(db)
    expiry.run(db, utcnow() + dt.timedelta(days=31))
    expiry.run(db, utcnow() + dt.timedelta(days=31))  # again: nothing more
    db.commit()
    db.expire_all()
    assert db.get(Member, member.id).balance == 50
    rows = db.scalars(sa.select(Entry).where(Entry.kind == "expire")).all()
    assert [(e.points, e.reason) for e in rows] == [(-100, "Points expired")]
    assert db.scalar(sa.select(sa.func.sum(Lot.remaining))) == 50


def test_cli_expire_and_listings(db):
    member = two_lots(db)
    lot = db.scalars(sa.select(Lot).order_by(Lot.id)).first()
    lot.expires_at = utcnow() - dt.timedelta(seconds=1)
    db.commit()
    runner = CliRunner()
    result = runner.invoke(cli.loyalty, ["expire", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["expired_points"] == 100
    listed = json.loads(runner.invoke(cli.loyalty, ["members", "--json"]).output)
    assert listed[0]["balance"] == 50
    history = json.loads(runner.invoke(cli.loyalty, ["ledger", str(member.id), "--json"]).output)
    assert [row["kind"] for row in history] == ["expire", "adjust", "adjust"]
    report = json.loads(runner.invoke(cli.loyalty, ["report", "--json"]).output)
    assert report["summary"]["points"]["expired"] == 100
    assert report["summary"]["points"]["outstanding"] == 50
    missing = runner.invoke(cli.loyalty, ["ledger", "999"])
    assert missing.exit_code != 0


def test_expiry_is_a_scheduled_job(db):
    jobs = [job for plugin, found in collect("niaga_scheduled_jobs") for job in found]
    job = next(j for j in jobs if j.name == "loyalty.expire")
    assert isinstance(job, ScheduledJob)
    member = two_lots(db)
    db.scalars(sa.select(Lot)).first().expires_at = utcnow() - dt.timedelta(days=1)
    db.commit()
    job.run(db)
    db.commit()
    db.expire_all()
    assert db.get(Member, member.id).balance == 50
