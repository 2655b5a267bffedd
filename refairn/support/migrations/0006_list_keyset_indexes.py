"""Issue 18 item 4: an index for the keyset order of a paged list."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('support', '0005_support_access_state'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='unavailability',
            index=models.Index(fields=['business', 'starts_at', 'id'], name='unavailability_list_order'),
        ),
    ]
