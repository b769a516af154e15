"""Which authority reviews an organisation's applications (SPEC §2, notice 三(一)).

A district (市辖区) → its prefecture city; a county or county-level city → that county's
authority, copied (抄报) to its city; a provincial unit or provincial SOE → its supervising
provincial department.
"""

import dataclasses

from .models import Authority, Region


@dataclasses.dataclass(frozen=True)
class Route:
    authority: Authority
    copy_to: Authority | None = None


class NoAuthority(Exception):
    """The reference data has no authority for this organisation's seat."""


def route(organisation) -> Route:
    if organisation.is_provincial:
        if organisation.supervising_department is None:
            raise NoAuthority(organisation)
        return Route(organisation.supervising_department)
    seat = organisation.seat
    if seat.kind == Region.Kind.DISTRICT:
        return Route(_authority_of(seat.parent))
    return Route(_authority_of(seat), copy_to=_authority_of(seat.parent))


def _authority_of(region) -> Authority:
    authority = Authority.objects.filter(region=region).first()
    if authority is None:
        raise NoAuthority(region)
    return authority
