from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    """Accounts are created by a network's Secretariat, never by open sign-up."""

    def is_open_for_signup(self, request) -> bool:
        return False

    def _get_login_attempts_cache_key(self, request, **credentials) -> str:
        """Failed sign-ins count per account whatever the Host header: allauth keys them on the
        site's domain, which without the sites framework is the Host a client sends, so changing
        it would start a fresh count."""
        login = credentials.get("email", credentials.get("username", "")).lower()
        return f"account:{login}"
