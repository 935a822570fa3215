"""Errors of enterprise accounts, each naming the problem in words the enterprise reads."""


class EnterpriseError(Exception):
    """Sign-up or login cannot go on; ``str(error)`` is shown to the enterprise."""


class InvalidCreditCode(EnterpriseError):
    pass


class AlreadyRegistered(EnterpriseError):
    pass


class WeakPassword(EnterpriseError):
    pass


class LoginFailed(EnterpriseError):
    pass


class BindingRefused(EnterpriseError):
    """A binding code was not accepted; the message never says whether it was unknown, used or expired."""
