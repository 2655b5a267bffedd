"""Issue 18 item 4: an index for the keyset order of a paged list."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('programs', '0003_joining'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='agent',
            index=models.Index(fields=['business', 'applied_at', 'id'], name='agent_list_order'),
        ),
    ]
