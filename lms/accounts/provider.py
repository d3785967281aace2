"""allauth finds providers in an app's ``provider`` module: HocSo's OpenID Connect provider (see ``oidc``)."""

from .oidc.provider import MinistryProvider

provider_classes = [MinistryProvider]
