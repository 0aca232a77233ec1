"""Create (or update) a staff account in the Editors group.

The password comes from the CATALOGUE_EDITOR_PASSWORD environment variable,
else from a prompt; with neither, the command refuses rather than invent one.
"""

import getpass
import os
import sys

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

PASSWORD_VARIABLE = "CATALOGUE_EDITOR_PASSWORD"


class Command(BaseCommand):
    help = "Create an editor account: staff, in the Editors group, no other rights."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--email", default="")

    def handle(self, *args, username, email, **options):
        password = os.environ.get(PASSWORD_VARIABLE) or self.prompt_password()
        User = get_user_model()
        user = User(username=username, email=email)
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        try:
            group = Group.objects.get(name="Editors")
        except Group.DoesNotExist:
            raise CommandError("The Editors group is missing: run 'migrate' first.") from None
        with transaction.atomic():
            user, created = User.objects.get_or_create(username=username)
            user.email = email or user.email
            user.is_staff = True
            user.set_password(password)
            user.save()
            user.groups.add(group)
        verb = "Created" if created else "Updated"
        self.stdout.write(self.style.SUCCESS(f"{verb} editor {username!r}."))

    def prompt_password(self) -> str:
        if not sys.stdin.isatty():
            raise CommandError(f"No password: set {PASSWORD_VARIABLE} or run in a terminal.")
        password = getpass.getpass("Password: ")
        if password != getpass.getpass("Password (again): "):
            raise CommandError("The passwords do not match.")
        return password
