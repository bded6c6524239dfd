"""Chain the rows written before the hash chain existed, in the order they were written (id)."""

from django.db import migrations

from fleksi.audit import chain


def backfill(apps, schema_editor):
    AuditEvent = apps.get_model("audit", "AuditEvent")
    AuditChainHead = apps.get_model("audit", "AuditChainHead")
    prev, seq = chain.GENESIS, 0
    rows = AuditEvent.objects.order_by("id").values_list(
        "id", "at", "actor_id", "agency_id", "action", "object_type", "object_id", "data"
    )
    batch = []
    for pk, at, actor_id, agency_id, action, object_type, object_id, data in rows.iterator(chunk_size=2000):
        seq += 1
        digest = chain.row_hash(
            seq=seq, at=at, actor_key=actor_id, agency_id=agency_id, action=action,
            object_type=object_type, object_id=object_id, data=data, prev_hash=prev,
        )
        batch.append(AuditEvent(pk=pk, actor_key=actor_id, seq=seq, prev_hash=prev, hash=digest))
        prev = digest
        if len(batch) >= 2000:
            AuditEvent.objects.bulk_update(batch, ["actor_key", "seq", "prev_hash", "hash"])
            batch = []
    if batch:
        AuditEvent.objects.bulk_update(batch, ["actor_key", "seq", "prev_hash", "hash"])
    AuditChainHead.objects.update_or_create(pk=1, defaults={"seq": seq, "hash": prev})


def unchain(apps, schema_editor):
    apps.get_model("audit", "AuditChainHead").objects.all().delete()


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0002_chain_fields'),
    ]

    operations = [
        migrations.RunPython(backfill, unchain),
    ]
