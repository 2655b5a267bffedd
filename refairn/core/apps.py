from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class CoreConfig(AppConfig):
    name = "refairn.core"
    label = "core"

    def ready(self) -> None:
        # Every app's tasks.py registers its periodic jobs; the web process needs them too,
        # because PUT /test-clock runs them in-process.
        autodiscover_modules("tasks")
        from huey.contrib.djhuey import HUEY

        from refairn.core.metrics import job_signals_connect

        job_signals_connect(HUEY.signal)
