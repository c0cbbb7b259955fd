"""A photo's public copy is made after commit by the worker (``publish_photos``): until then
``image`` is empty, and a partial index holds the worker's queue (issue #12 item 3). Existing
photos all have their copy. The index is built without blocking writes on PostgreSQL."""

from django.db import migrations, models

from kotacerdas.core.migration_operations import AddIndexOnline


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY cannot run inside a transaction

    dependencies = [("complaints", "0007_category_english_name_optional_opd_other")]

    operations = [
        migrations.AlterField(
            model_name="photo",
            name="image",
            field=models.ImageField(
                blank=True, height_field="height", upload_to="complaints/%Y/%m/", width_field="width"
            ),
        ),
        AddIndexOnline(
            model_name="photo",
            index=models.Index(
                condition=models.Q(("image", "")), fields=["id"], name="complaint_photo_pending"
            ),
        ),
    ]
