from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    """Accounts are created by a network's Secretariat, never by open sign-up."""

    def is_open_for_signup(self, request) -> bool:
        return False
