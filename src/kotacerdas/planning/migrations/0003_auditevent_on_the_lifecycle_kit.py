"""Planning's audit trail moves onto the lifecycle kit (issue #9.1), keeping every row.

``verb`` becomes ``action`` and ``at`` becomes ``created_at``; ``object_type``/``object_id``
(a model name and an id) become a generic ``subject`` (content type and id). An act on a
part is now recorded on its whole, so old rows about a part move the same way: an evidence
file to its report, a dimension score to its evaluation, a reminder to its programme, with
the part's id in ``data``. A report's transitions are named by the workflow's actions
(``report_submit`` becomes ``submit``). The reverse puts everything back.

Three migrations, three transactions: the new columns (here), the data move (0004), the
schema that follows (0005). On PostgreSQL rows updated in a transaction leave deferred
foreign-key checks pending, and a table with pending checks cannot be altered (nor indexed)
in the same transaction.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("planning", "0002_seed_national_dimensions"),
        ("tenants", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RenameField("auditevent", "verb", "action"),
        migrations.RenameField("auditevent", "at", "created_at"),
        migrations.AlterModelOptions(
            name="auditevent",
            options={
                "ordering": ["created_at", "pk"],
                "verbose_name": "peristiwa perencanaan",
                "verbose_name_plural": "peristiwa perencanaan",
            },
        ),
        migrations.AddField(
            model_name="auditevent",
            name="public",
            field=models.BooleanField(default=False, verbose_name="publik"),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="data",
            field=models.JSONField(blank=True, default=dict, verbose_name="data"),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="subject_type",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="contenttypes.contenttype",
            ),
        ),
    ]
