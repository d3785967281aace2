"""OpenID Connect single sign-on on allauth's provider, made stricter where allauth is lenient.

allauth's ``openid_connect`` provider skips the ID token's signature when the token came straight from the token
endpoint (the specification allows it) and sends no nonce. HocSo always checks the signature against the
provider's published keys, sends a nonce and checks it comes back (``SocialAccountAdapter.pre_social_login``),
and uses PKCE. The provider is configured from the environment (``OIDC_*``, see the settings and the README).
"""
