"""Binding an account to its enterprise by proof (issue 11, item 5): the window's one-time binding code.

Anyone can sign up with an enterprise's public credit code; such an account is *unbound* and sees only
what it filed online itself (visibility.py). The window checks the legal representative's papers and hands
over a binding code; whoever claims it binds the account of that credit code:

- The code: 12 characters of Crockford's base32 (0-9 and A-Z without I, L, O, U: 60 random bits), shown as
  XXXX-XXXX-XXXX. Typing is forgiving: case, spaces and hyphens do not matter, O reads as 0, I and L as 1.
  Only the SHA-256 of the normalised code is stored; the plain code is shown once, to the clerk.
- It is valid for 30 days (VALID_FOR: time to come back from the window, short enough that a lost paper
  goes stale), once. Issuing a new code for a credit code makes every earlier unused one expire at once.
- Claimed by the account already logged in for that credit code: the account is bound. Claimed by anyone
  else: the code holder takes the account over — a new password, ``credentials_changed_at`` set, so the
  earlier holder's password and every session logged in before stop working (webui/auth.py). With no
  account yet for the credit code, the claim signs one up (its details given) and binds it at once.
- Every refusal has the same words (REFUSED): unknown, used, expired or another enterprise's code alike.
  A refused claim is rolled back with its transaction: the caller writes ``record_refusal`` in a new one.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from domain.audit.services import audit
from domain.enterprises.errors import BindingRefused, EnterpriseError, InvalidCreditCode
from domain.enterprises.models import BindingCode, Enterprise
from domain.enterprises.services import HASHER, EnterpriseService, check_details, check_password, normalise_credit_code

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford's base32: 5 bits a character
LENGTH = 12  # 60 bits
VALID_FOR = dt.timedelta(days=30)
REFUSED = "绑定码无效或已过期，请向专窗重新领取。"
NO_ACCOUNT = "该企业尚未注册账户：请在“注册”页面填写企业信息和绑定码，注册并绑定。"
READ_AS = str.maketrans({"O": "0", "I": "1", "L": "1"})


@dataclass(frozen=True)
class AccountDetails:
    """An account's contact details, for a claim that signs up (or replaces a squatter's details)."""

    name: str
    contact_name: str
    phone: str
    email: str | None = None


def normalise_code(text: str | None) -> str:
    """The code as stored before hashing: upper case, no separators, O→0, I/L→1 ("" when it cannot be one)."""
    compact = "".join(c for c in (text or "").upper() if c not in " -\t").translate(READ_AS)
    if len(compact) != LENGTH or any(c not in ALPHABET for c in compact):
        return ""
    return compact


def code_hash(code: str) -> str:
    return hashlib.sha256(normalise_code(code).encode()).hexdigest()


def formatted(code: str) -> str:
    """XXXX-XXXX-XXXX, as printed for the enterprise."""
    compact = normalise_code(code)
    return "-".join(compact[i : i + 4] for i in range(0, LENGTH, 4))


def new_code() -> str:
    """A fresh random code, formatted, not stored yet: ``issue(…, code=…)`` stores it (the acceptance receipt
    lays out its PDF first, so that a code is kept only once the paper that carries it exists)."""
    return formatted("".join(secrets.choice(ALPHABET) for _ in range(LENGTH)))


def issue(
    session: Session,
    credit_code: str,
    clerk: str,
    now: dt.datetime,
    address: str | None = None,
    *,
    code: str | None = None,
    **details: str,
) -> str:
    """Issue a new binding code for this credit code and return it, formatted, this once.

    ``code``: one drawn with :func:`new_code` (default: a new one). Earlier unused codes of the credit code
    expire now. ``details`` go into the audit entry. Raise InvalidCreditCode for an invalid credit code.
    """
    credit = normalise_credit_code(credit_code)
    plain = normalise_code(code) if code is not None else normalise_code(new_code())
    if not plain:
        raise ValueError("绑定码格式不正确。")
    session.execute(
        update(BindingCode)
        .where(BindingCode.credit_code == credit, BindingCode.used_at.is_(None), BindingCode.expires_at > now)
        .values(expires_at=now)
    )
    session.add(
        BindingCode(
            credit_code=credit, code_hash=code_hash(plain), issued_by=clerk, issued_at=now, expires_at=now + VALID_FOR
        )
    )
    session.flush()
    expires = (now + VALID_FOR).isoformat()
    audit(session, "staff", clerk, "enterprise.binding_code_issued", credit, address, expires_at=expires, **details)
    return formatted(plain)


def claim(
    session: Session,
    credit_code: str,
    code: str,
    now: dt.datetime,
    new_password: str | None = None,
    enterprise: Enterprise | None = None,
    details: AccountDetails | None = None,
    address: str | None = None,
) -> Enterprise:
    """Bind the account of this credit code with the code, and return the account (see the module's words).

    ``enterprise``: the account the claimer is logged in as, if any. Raise BindingRefused (REFUSED) for an
    unknown, used, expired or other enterprise's code; WeakPassword or ValueError for a takeover's or a
    sign-up's bad password or details; EnterpriseError (NO_ACCOUNT) when no account exists and no details
    are given. Whatever it raises, the code stays unused (the caller's transaction is rolled back).
    """
    try:
        credit_code = normalise_credit_code(credit_code)
    except InvalidCreditCode:
        raise BindingRefused(REFUSED) from None
    row = _usable(session, credit_code, code, now)
    accounts = EnterpriseService(session)
    account = accounts.by_credit_code(credit_code)
    taken_over = created = False
    if account is None:
        if details is None:
            raise EnterpriseError(NO_ACCOUNT)
        account = accounts.sign_up(
            credit_code, details.name, details.contact_name, details.phone, details.email, new_password or ""
        )
        created = True
    elif enterprise is None or enterprise.id != account.id:
        check_password(new_password)
        if details is not None:
            check_details(details.name, details.contact_name, details.phone, details.email)
            account.name, account.contact_name = details.name.strip(), details.contact_name.strip()
            account.phone, account.email = details.phone.strip(), (details.email or "").strip() or None
        account.password_hash = HASHER.hash(new_password or "")
        account.credentials_changed_at = now
        taken_over = True
    row.used_at, row.used_by_enterprise_id = now, account.id
    account.bound_at = now
    session.flush()
    audit(
        session, "enterprise", credit_code, "enterprise.bound", credit_code, address,
        binding_code=row.id, taken_over=taken_over, created=created,
    )  # fmt: skip
    return account


def _usable(session: Session, credit_code: str, code: str, now: dt.datetime) -> BindingCode:
    """The unused, unexpired code of this credit code matching ``code``, or BindingRefused.

    Every stored hash of the credit code is compared in constant time, whatever matched before.
    """
    wanted = hashlib.sha256(normalise_code(code).encode()).hexdigest()
    found = None
    for row in session.scalars(select(BindingCode).where(BindingCode.credit_code == credit_code)):
        if hmac.compare_digest(row.code_hash, wanted):
            found = row
    if found is None or found.used_at is not None or found.expires_at <= now:
        raise BindingRefused(REFUSED)
    return found


def record_refusal(
    session: Session, credit_code: str, reason: Exception, actor: str | None = None, address: str | None = None
) -> None:
    """Audit a refused claim (in a transaction of its own: the claim's was rolled back)."""
    audit(
        session, "enterprise", (actor or "anonymous")[:64], "enterprise.binding_refused", (credit_code or "")[:100],
        address, reason=type(reason).__name__,
    )  # fmt: skip
