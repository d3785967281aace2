from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from wagtail.log_actions import log
from wagtail.models import APIToken


class Command(BaseCommand):
    help = (
        "Create a bearer token for /api/v1/; it carries USERNAME's permissions and scope. "
        "The secret is printed once; tokens are listed and revoked in the admin (Settings → API tokens)."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="integration", help="what the token is for, shown in the admin")

    def handle(self, *args, username, name, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user named {username!r}.")
        if not user.is_active:
            raise CommandError(f"User {username!r} is inactive; a token for it would not work.")
        token, secret = APIToken.create_token(user=user, name=name)
        log(token, "wagtail.apitoken.create", data={"source": "create_api_token"})
        self.stderr.write(f"Token {token.prefix}… created for {username}. Store it now; it is not shown again.")
        self.stdout.write(secret)
