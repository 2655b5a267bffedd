from django.core.management.base import BaseCommand

from refairn.demo.loader import DEMO_LOGINS, load_demo


class Command(BaseCommand):
    help = "Load the demo business (idempotent) and print its logins."

    def handle(self, *args: object, **options: object) -> None:
        business = load_demo()
        self.stdout.write(f"Demo business {business.name!r} (slug {business.slug}) is loaded.")
        for role, email in DEMO_LOGINS.rows:
            self.stdout.write(f"  {role:<28} {email}")
        self.stdout.write(f"Password for all: {DEMO_LOGINS.password}")
