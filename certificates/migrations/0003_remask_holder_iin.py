"""Stored masked IINs showed the first two digits, the birth year; keep only the last four.

The certificate's other content stays frozen; only the public mask changes (issue 12, item 10).
"""

from django.db import migrations


def remask(apps, schema_editor):
    from core.validators import mask_iin

    Certificate = apps.get_model("certificates", "Certificate")
    alias = schema_editor.connection.alias
    batch = []
    rows = Certificate.objects.using(alias).values_list("pk", "servant__iin", "holder_iin_masked")
    for pk, iin, masked in rows.iterator(chunk_size=2000):
        if mask_iin(iin) != masked:
            batch.append(Certificate(pk=pk, holder_iin_masked=mask_iin(iin)))
        if len(batch) >= 2000:
            Certificate.objects.using(alias).bulk_update(batch, ["holder_iin_masked"])
            batch = []
    if batch:
        Certificate.objects.using(alias).bulk_update(batch, ["holder_iin_masked"])


class Migration(migrations.Migration):
    dependencies = [("certificates", "0002_certificate_certificate_issued_idx")]

    operations = [migrations.RunPython(remask, migrations.RunPython.noop, elidable=True)]
