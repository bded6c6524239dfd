"""`fleksi backup` and `fleksi restore`: a round trip on the database and the uploaded files
(SQLite here, PostgreSQL with DATABASE_URL), and archives that are refused without a change."""

from __future__ import annotations

import gzip
import io
import json
import tarfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from fleksi import cli
from fleksi.accounts.models import User
from fleksi.audit.models import AuditEvent
from fleksi.audit.verify import audit_chain_verify
from fleksi.organisation.models import Employee
from fleksi.requests import evidence as request_evidence
from fleksi.requests import services as request_services
from fleksi.requests.models import Evidence, FlexRequest
from tests.factories import UserFactory
from tests.workflow.helpers import W48, fresh, request_data

pytestmark = pytest.mark.django_db(transaction=True)

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "private"
    return settings.MEDIA_ROOT


@pytest.fixture
def filled(world):
    special = request_services.request_create(
        actor=fresh(world.e1.user), data=request_data(W48[0], is_special=True, special_description="Merawat anak sakit")
    )
    evidence = request_evidence.evidence_add(
        actor=fresh(world.e1.user), request_id=special.pk,
        upload=SimpleUploadedFile("surat dokter.pdf", PDF, content_type="application/pdf"),
    )
    return special, evidence


def snapshot():
    return {
        "users": sorted(User.objects.values_list("username", flat=True)),
        "employees": Employee.objects.count(),
        "requests": sorted(FlexRequest.objects.values_list("pk", "state")),
        "evidence": sorted(Evidence.objects.values_list("pk", "file")),
        "audit": list(AuditEvent.objects.order_by("seq").values_list("seq", "hash")),
    }


def test_round_trip_restores_the_database_and_the_files(filled, media, tmp_path, capsys):
    _, evidence = filled
    archive = tmp_path / "cadangan.tar.gz"
    before = snapshot()
    stored = Path(evidence.file.path)
    assert cli.main(["backup", str(archive)]) == 0
    assert "Cadangan" in capsys.readouterr().out

    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
        names = tar.getnames()
    assert manifest["format"] == "fleksi-backup" and manifest["version"] == 1
    assert manifest["vendor"] == connection.vendor
    assert manifest["counts"]["requests_flexrequest"] == 1
    assert f"media/{stored.relative_to(media).as_posix()}" in manifest["files"]
    assert set(names) == {"manifest.json", manifest["database"]["name"], *manifest["files"]}

    # Life goes on after the backup: rows change, a file disappears, another appears.
    FlexRequest.objects.all().delete()
    UserFactory(username="setelah-cadangan")
    stored.unlink()
    (media / "baru.txt").write_text("tidak ada di cadangan")

    assert cli.main(["restore", str(archive), "--yes"]) == 0
    after = snapshot()
    assert after["audit"][:-1] == before["audit"]  # plus the restore's own audit event
    assert {k: v for k, v in after.items() if k != "audit"} == {k: v for k, v in before.items() if k != "audit"}
    assert AuditEvent.objects.order_by("-seq").first().action == "system.restore"
    assert stored.read_bytes() == PDF
    assert not (media / "baru.txt").exists()
    assert audit_chain_verify().ok
    # the application works on the restored database
    assert request_services.request_create(actor=fresh(filled[0].employee.user), data=request_data(W48[1]))


def rewrite(archive: Path, out: Path, change) -> Path:
    """Copy an archive member by member, letting ``change(name, data)`` alter or drop each."""
    with tarfile.open(archive) as src, tarfile.open(out, "w:gz") as dst:
        for member in src:
            data = src.extractfile(member).read()
            data = change(member.name, data)
            if data is None:
                continue
            info = tarfile.TarInfo(member.name)
            info.size = len(data)
            dst.addfile(info, io.BytesIO(data))
    return out


def tampered_manifest(key, value):
    def change(name, data):
        if name != "manifest.json":
            return data
        manifest = json.loads(data)
        manifest[key] = value
        return json.dumps(manifest).encode()
    return change


def flip_database(name, data):
    if name.startswith("database."):
        middle = len(data) // 2
        return data[:middle] + bytes([data[middle] ^ 0xFF]) + data[middle + 1:]
    return data


@pytest.mark.parametrize("damage, message", [
    ("truncated", "rusak"),
    ("not-an-archive", "rusak"),
    ("foreign-tar", "bukan cadangan Fleksi"),
    ("flipped-byte", "checksum"),
    ("missing-file", "tidak sesuai manifest"),
    ("extra-file", "tidak sesuai manifest"),
    ("other-vendor", "basis data"),
    ("newer-version", "Versi arsip"),
    ("unknown-migration", "lebih baru"),
    ("path-traversal", "tidak diharapkan"),
    ("missing", "tidak ada"),
])
def test_a_damaged_or_foreign_archive_is_refused_and_nothing_changes(filled, media, tmp_path, damage, message):
    _, evidence = filled
    good = tmp_path / "baik.tar.gz"
    call_command("backup", str(good))
    bad = tmp_path / "buruk.tar.gz"
    if damage == "truncated":
        bad.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    elif damage == "not-an-archive":
        bad.write_bytes(b"PK\x03\x04 ini berkas zip, bukan arsip cadangan")
    elif damage == "foreign-tar":
        with tarfile.open(bad, "w:gz") as tar:
            data = b"halo"
            info = tarfile.TarInfo("catatan.txt")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    elif damage == "flipped-byte":
        rewrite(good, bad, flip_database)
    elif damage == "missing-file":
        rewrite(good, bad, lambda name, data: None if name.startswith("media/") else data)
    elif damage == "extra-file":
        rewrite(good, bad, lambda name, data: data)
        with tarfile.open(bad, "r:gz") as src:
            members = [(m, src.extractfile(m).read()) for m in src]
        with tarfile.open(bad, "w:gz") as dst:
            for m, data in [*members, (tarfile.TarInfo("media/tambahan.pdf"), PDF)]:
                m.size = len(data)
                dst.addfile(m, io.BytesIO(data))
    elif damage == "other-vendor":
        other = "postgresql" if connection.vendor == "sqlite" else "sqlite"
        rewrite(good, bad, tampered_manifest("vendor", other))
    elif damage == "newer-version":
        rewrite(good, bad, tampered_manifest("version", 2))
    elif damage == "unknown-migration":
        with tarfile.open(good) as tar:
            migrations = json.load(tar.extractfile("manifest.json"))["migrations"]
        rewrite(good, bad, tampered_manifest("migrations", [*migrations, "requests.9999_masa_depan"]))
    elif damage == "path-traversal":
        rewrite(good, bad, lambda name, data: data)
        with tarfile.open(bad, "w:gz") as dst:
            info = tarfile.TarInfo("../../keluar.txt")
            info.size = 3
            dst.addfile(info, io.BytesIO(b"hai"))
    elif damage == "missing":
        bad = tmp_path / "tidak-ada.tar.gz"

    FlexRequest.objects.all().delete()  # the state a refused restore must leave alone
    marker = UserFactory(username="penanda")
    (media / "penanda.txt").write_text("tetap")
    before = snapshot()

    with pytest.raises(CommandError) as refused:
        call_command("restore", str(bad))
    assert "tidak ada yang diubah" in str(refused.value)
    assert message in str(refused.value)
    assert snapshot() == before
    assert User.objects.filter(pk=marker.pk).exists()
    assert (media / "penanda.txt").read_text() == "tetap"
    assert Path(evidence.file.path).read_bytes() == PDF
    assert not (tmp_path.parent / "keluar.txt").exists()


def test_the_cli_says_why_and_exits_non_zero(tmp_path, capsys):
    bad = tmp_path / "x.tar.gz"
    bad.write_bytes(gzip.compress(b"bukan tar"))
    assert cli.main(["restore", str(bad), "--yes"]) == 1
    assert "Pemulihan ditolak" in capsys.readouterr().err


def test_restore_without_yes_and_without_a_terminal_changes_nothing(tmp_path, monkeypatch, capsys):
    import io as _io

    monkeypatch.setattr("sys.stdin", _io.StringIO(""))
    assert cli.main(["restore", str(tmp_path / "apa-saja.tar.gz")]) == 1
    assert "Dibatalkan" in capsys.readouterr().err
