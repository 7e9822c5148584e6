"""Give a user an editorial role (editor, reviewer) and, on request, an API token.

    manage.py staff_role alice editor --token
    manage.py staff_role bob reviewer
    manage.py staff_role alice --remove editor

Roles are the `editor` and `reviewer` groups (routes migration 0003);
admins are superusers (`manage.py createsuperuser`).
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from editorial.workflow import EDITOR_GROUP, REVIEWER_GROUP


class Command(BaseCommand):
    help = "Put a user in the editor or reviewer group (or take them out); optionally print their API token."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("role", choices=[EDITOR_GROUP, REVIEWER_GROUP])
        parser.add_argument("--remove", action="store_true", help="Take the role away instead.")
        parser.add_argument("--token", action="store_true", help="Print (and make) the API token.")

    @transaction.atomic
    def handle(self, *args, username, role, remove, token, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            msg = f"No user {username!r}; create one with createsuperuser or the admin first."
            raise CommandError(msg)
        group, _created = Group.objects.get_or_create(name=role)
        if remove:
            user.groups.remove(group)
            self.stdout.write(self.style.SUCCESS(f"{username} no longer has the {role} role."))
        else:
            user.groups.add(group)
            # Django's admin only lets is_staff users sign in; the role is what
            # limits what they may do there (editorial.workflow).
            if not user.is_staff:
                user.is_staff = True
                user.save(update_fields=["is_staff"])
            self.stdout.write(self.style.SUCCESS(f"{username} has the {role} role."))
        if token:
            from rest_framework.authtoken.models import Token

            key = Token.objects.get_or_create(user=user)[0].key
            self.stdout.write(f"Token {key}")
