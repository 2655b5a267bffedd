"""Issue 18 item 4: an index for the keyset order of a paged list."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('webhooks', '0001_initial'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='webhookdelivery',
            index=models.Index(fields=['endpoint', '-created_at', 'id'], name='delivery_log_order'),
        ),
        migrations.AddIndex(
            model_name='webhookdelivery',
            index=models.Index(fields=['business', '-created_at', 'id'], name='delivery_business_order'),
        ),
    ]
