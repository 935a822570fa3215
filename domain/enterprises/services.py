"""EnterpriseService: sign up with a valid credit code, log in with an argon2-hashed password.

A signed-up account starts unbound: it sees only what it files online itself until it is bound to its
enterprise with the window's binding code (binding.py). In production sign-up needs that code at once.
"""

from __future__ import annotations

import re

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session
from stdnum.cn import uscc
from stdnum.exceptions import ValidationError

from domain.contact import normalise_mobile
from domain.enterprises.errors import AlreadyRegistered, InvalidCreditCode, LoginFailed, WeakPassword
from domain.enterprises.models import Enterprise

HASHER = PasswordHasher()
# Verified against when the code is unknown, so that a wrong code costs as long as a wrong password.
_DUMMY_HASH = HASHER.hash("not-a-password-of-anyone")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def normalise_credit_code(value: str) -> str:
    """The code in its compact upper-case form, or InvalidCreditCode naming what is wrong."""
    try:
        return uscc.validate(value or "")
    except ValidationError as exc:
        raise InvalidCreditCode(f"统一社会信用代码 “{value}” 无效：{_why(exc)}") from exc


def _why(exc: ValidationError) -> str:
    return {
        "InvalidLength": "应为 18 位",
        "InvalidFormat": "含有不允许的字符",
        "InvalidChecksum": "校验位不符，请核对营业执照",
        "InvalidComponent": "登记管理部门或机构类别代码不存在",
    }.get(type(exc).__name__, "格式不正确")


def check_details(name: str, contact_name: str, phone: str, email: str | None) -> None:
    """Raise ValueError naming the first problem with an account's contact details."""
    if not (name or "").strip() or not (contact_name or "").strip():
        raise ValueError("请填写企业名称和联系人。")
    normalise_mobile(phone)  # the SMS notices go to this number (R12)
    if email and not EMAIL.match(email):
        raise ValueError(f"电子邮箱 “{email}” 格式不正确。")


def check_password(password: str | None) -> None:
    """Raise WeakPassword unless the password has at least 10 characters, letters and digits."""
    password = password or ""
    if len(password) < 10 or password.isdigit() or password.isalpha():
        raise WeakPassword("密码至少 10 位，且须同时包含字母和数字。")


class EnterpriseService:
    def __init__(self, session: Session) -> None:
        self.session = session

    def sign_up(
        self, credit_code: str, name: str, contact_name: str, phone: str, email: str | None, password: str
    ) -> Enterprise:
        """Create the account, or raise an EnterpriseError naming the problem."""
        code = normalise_credit_code(credit_code)
        if self.by_credit_code(code) is not None:
            raise AlreadyRegistered(f"统一社会信用代码 {code} 已注册，请直接登录。")
        check_details(name, contact_name, phone, email)
        check_password(password)
        enterprise = Enterprise(
            credit_code=code,
            name=name.strip(),
            contact_name=contact_name.strip(),
            phone=normalise_mobile(phone),
            email=(email or "").strip() or None,
            password_hash=HASHER.hash(password),
        )
        self.session.add(enterprise)
        self.session.flush()
        return enterprise

    def authenticate(self, credit_code: str, password: str) -> Enterprise:
        """The enterprise whose code and password these are, or LoginFailed (never which part was wrong)."""
        failed = LoginFailed("统一社会信用代码或密码不正确。")
        try:
            code = normalise_credit_code(credit_code)
        except InvalidCreditCode:
            raise failed from None
        enterprise = self.by_credit_code(code)
        try:
            HASHER.verify(enterprise.password_hash if enterprise else _DUMMY_HASH, password)
            if enterprise is None:
                raise failed
        except (VerificationError, InvalidHashError):
            raise failed from None
        if HASHER.check_needs_rehash(enterprise.password_hash):
            enterprise.password_hash = HASHER.hash(password)
        return enterprise

    def by_credit_code(self, code: str) -> Enterprise | None:
        return self.session.scalar(select(Enterprise).where(Enterprise.credit_code == code))

    def get(self, enterprise_id: int) -> Enterprise | None:
        return self.session.get(Enterprise, enterprise_id)
