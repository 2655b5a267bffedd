"""Issue 18 item 4: an index for the keyset order of a paged list."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('assessments', '0005_adaptive_irt'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='question',
            index=models.Index(fields=['track', 'created_at', 'id'], name='question_bank_order'),
        ),
    ]
