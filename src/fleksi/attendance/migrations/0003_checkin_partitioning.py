# The check-in table partitioned by month on PostgreSQL, the idempotency ledger on both
# databases (docs/decisions/110). Written by hand: the model state changes only by the ledger
# model and one partial index; the partitioning is PostgreSQL-only DDL (SQLite keeps the
# plain table), so `makemigrations --check` stays clean on both.

import django.db.models.deletion
from django.db import migrations, models

from fleksi.attendance import partitions


def forward(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "postgresql":
        partitions.partition_checkin_table(schema_editor, apps.get_model("attendance", "CheckIn"))
    else:
        for statement in partitions.sqlite_ledger_trigger_sql():
            schema_editor.execute(statement)
        schema_editor.execute(partitions.LEDGER_BACKFILL_SQL)  # check-ins stored before


def backward(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "postgresql":
        partitions.unpartition_checkin_table(schema_editor, apps.get_model("attendance", "CheckIn"))
    else:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {partitions.LEDGER_TRIGGER}")


class Migration(migrations.Migration):

    dependencies = [
        ("attendance", "0001_initial"),
        ("organisation", "0002_office_geofence_placement"),
    ]

    operations = [
        migrations.CreateModel(
            name="CheckInKey",
            fields=[
                ("pk", models.CompositePrimaryKey("employee", "idempotency_key", blank=True, editable=False, primary_key=True, serialize=False)),
                ("employee", models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name="+", to="organisation.employee")),
                ("idempotency_key", models.UUIDField()),
                ("agency", models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name="+", to="organisation.agency")),
                ("checkin_id", models.BigIntegerField()),
                ("server_time", models.DateTimeField()),
            ],
            options={
                "verbose_name": "kunci idempotensi presensi",
                "verbose_name_plural": "kunci idempotensi presensi",
            },
        ),
        migrations.AddIndex(
            model_name="checkin",
            index=models.Index(condition=models.Q(("latitude__isnull", False), ("longitude__isnull", False), ("accuracy_m__isnull", False), _connector="OR"), fields=["agency", "server_time"], name="checkin_agency_time_located"),
        ),
        migrations.RunPython(forward, backward),
    ]
