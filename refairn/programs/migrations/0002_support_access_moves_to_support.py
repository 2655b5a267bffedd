"""Support access moved to the support app (issue 10): its status now lives in
``support.SupportAccess`` and the training library's in ``training.LibraryAccess``, both filled
from this column before it goes."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("programs", "0001_initial"),
        ("support", "0005_support_access_state"),
        ("training", "0003_library_access"),
    ]

    operations = [
        migrations.RemoveField(model_name="agent", name="support_access"),
    ]
