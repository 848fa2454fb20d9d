"""Who gets a due reminder, on which channels: resolved by the database, inside the outbox's INSERT.

The sweep (cases/services/reminders.py) hands over due *keys*: a deadline or hearing, the
reminder, and its audience. One ``INSERT ... SELECT ... ON CONFLICT DO NOTHING`` per chunk of
keys joins them to the case's handlers, the agency's responsible persons (SPC20 Art. 2), the
expected leader, the users and the agency's robot, and writes one row per recipient and
channel; the unique constraints decide, as before, which rows exist (issue 17: no person,
handler list or message is built in Python for a reminder that already went out).

The rules, in one place (docs/reminders.md, "Policy"):

- ``handlers``: the case's active handlers, or, when it has none, the responsible persons;
- ``handlers_and_leader``: the handlers and the hearing's expected leader, or else the
  responsible persons;
- ``responsible``: the responsible persons (a hearing with no leader arranged);
- ``escalation``: the responsible persons who are not handlers of the case, when it has
  handlers (without any, the responsible persons had the reminder itself);
- a person who asked for a digest (``Membership.wants_digest``) gets no single rows: the
  digest rows are read with ``digest_recipients`` and worded by the sweep;
- channels: in-app always, e-mail when the user has an address, the robot when the case's
  agency has a ``webhook_url``.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any, Final, NamedTuple

from django.contrib.auth import get_user_model
from django.db import connection

from cases.models import Agency, Case, Membership
from cases.models.reminders import ReminderChannel
from cases.services.sql_rows import rows_source

__all__ = [
    "ESCALATION",
    "HANDLERS",
    "HANDLERS_AND_LEADER",
    "RESPONSIBLE",
    "DigestItem",
    "SINGLES_COLUMNS",
    "SINGLES_ORDER",
    "DueKey",
    "digest_recipients",
    "due_sources",
    "recipients_with",
    "singles_select",
]

HANDLERS: Final = "handlers"
HANDLERS_AND_LEADER: Final = "handlers_and_leader"
RESPONSIBLE: Final = "responsible"
ESCALATION: Final = "escalation"


class DueKey(NamedTuple):
    """One reminder of one deadline or hearing due now, before it is known to whom."""

    deadline_id: int | None
    hearing_id: int | None
    reminder: str
    audience: str
    case_id: int
    agency_id: int
    expected_leader_id: int | None = None


class DigestItem(NamedTuple):
    """A due reminder of a person who gets a daily digest, with what their digest rows need."""

    user_id: int
    email: str
    agency_id: int
    webhook_url: str
    deadline_id: int | None
    hearing_id: int | None
    reminder: str


_DUE_TYPES: Final = ("bigint", "bigint", "bigint", "varchar", "varchar", "bigint", "bigint", "bigint")


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def recipients_with(source: str) -> tuple[str, list[Any]]:
    """``WITH due (...), handler, leader, named, picked (ord, user_id)``: each due key's recipients.

    ``source`` is the due keys as a relation (``cases.services.sql_rows``): ord, deadline id,
    hearing id, reminder, audience, case id, agency id, expected leader id.
    """
    users = _q(get_user_model()._meta.db_table)
    handlers = _q(Case.handlers.through._meta.db_table)
    # The responsible persons' ranks stay in one place: the queryset's own SQL, as a sub-select.
    persons = Membership.objects.responsible_persons().values("agency_id", "user_id")
    responsible, responsible_params = persons.query.sql_with_params()
    # Disjoint branches joined on equality only: the planner sees hash joins, never a filter
    # with ORs over a CTE it cannot estimate (that made a nested loop of 2,000 x 3,000 rows).
    # ``leader`` is every responsible person (a few per agency, a small table), not only those
    # of the due agencies, for the same reason.
    sql = f"""WITH due (ord, deadline_id, hearing_id, reminder, audience, case_id, agency_id, expected_id) AS ({source}),
handler AS (
  SELECT h.case_id, h.user_id FROM {handlers} h JOIN {users} u ON u.id = h.user_id
  WHERE u.is_active AND h.case_id IN (SELECT case_id FROM due)),
leader AS (
  SELECT m.agency_id, m.user_id FROM ({responsible}) m JOIN {users} u ON u.id = m.user_id WHERE u.is_active),
named AS (
  SELECT due.ord, handler.user_id FROM due JOIN handler ON handler.case_id = due.case_id
  WHERE due.audience IN (%s, %s)
  UNION
  SELECT due.ord, u.id FROM due JOIN {users} u ON u.id = due.expected_id
  WHERE due.audience = %s AND u.is_active),
picked AS (
  SELECT ord, user_id FROM named
  UNION ALL
  SELECT due.ord, leader.user_id FROM due JOIN leader ON leader.agency_id = due.agency_id
  WHERE due.audience = %s
  UNION ALL
  SELECT due.ord, leader.user_id FROM due JOIN leader ON leader.agency_id = due.agency_id
  WHERE due.audience IN (%s, %s) AND due.ord NOT IN (SELECT ord FROM named)
  UNION ALL
  SELECT due.ord, leader.user_id FROM due JOIN leader ON leader.agency_id = due.agency_id
  WHERE due.audience = %s AND due.case_id IN (SELECT case_id FROM handler)
    AND NOT EXISTS (SELECT 1 FROM handler WHERE handler.case_id = due.case_id AND handler.user_id = leader.user_id))
"""
    params = [
        *responsible_params, HANDLERS, HANDLERS_AND_LEADER, HANDLERS_AND_LEADER,
        RESPONSIBLE, HANDLERS, HANDLERS_AND_LEADER, ESCALATION,
    ]  # fmt: skip
    return sql, params


# The columns of ``singles_select`` that become the outbox row's, and the order the rows are
# inserted (and so numbered) in: key by key as the sweep found them, then by recipient, then
# in-app, e-mail, robot.
SINGLES_COLUMNS: Final = ("deadline_id", "hearing_id", "reminder", "recipient_id", "channel", "agency_id")
SINGLES_ORDER: Final = "ORDER BY ord, recipient_id, pos"


def singles_select() -> tuple[str, list[Any]]:
    """``SELECT deadline_id, hearing_id, reminder, recipient_id, channel, agency_id, ord, pos FROM picked ...``:
    the single (not digest) delivery rows of the keys, one per recipient and channel."""
    users, members, agencies = (_q(m._meta.db_table) for m in (get_user_model(), Membership, Agency))
    sql = f"""SELECT due.deadline_id, due.hearing_id, due.reminder, picked.user_id AS recipient_id,
  channel.name AS channel, due.agency_id, due.ord, channel.pos
FROM picked JOIN due ON due.ord = picked.ord
JOIN {users} u ON u.id = picked.user_id
JOIN {agencies} a ON a.id = due.agency_id
LEFT JOIN {members} m ON m.user_id = u.id
CROSS JOIN (SELECT %s AS name, 1 AS pos UNION ALL SELECT %s, 2 UNION ALL SELECT %s, 3) channel
WHERE NOT COALESCE(m.wants_digest, FALSE)
  AND (channel.pos = 1 OR (channel.pos = 2 AND u.email <> '') OR (channel.pos = 3 AND a.webhook_url <> ''))
"""
    channels = [ReminderChannel.IN_APP.value, ReminderChannel.EMAIL.value, ReminderChannel.WEBHOOK.value]
    return sql, channels


def due_sources(keys: Sequence[DueKey], *, reserve: int) -> Iterator[tuple[str, list[Any]]]:
    """The due keys as relations for ``recipients_with``, chunk after chunk (numbered in order)."""
    return rows_source(_DUE_TYPES, [(i, *key) for i, key in enumerate(keys)], reserve=reserve)


def digest_recipients(keys: Sequence[DueKey]) -> list[DigestItem]:
    """The due keys' recipients who get a daily digest instead, with their address and agency."""
    if not keys or not Membership.objects.filter(wants_digest=True, user__is_active=True).exists():
        return []  # nobody asked for one: no need to resolve every key's recipients again
    users, members, agencies = (_q(m._meta.db_table) for m in (get_user_model(), Membership, Agency))
    items: list[DigestItem] = []
    with connection.cursor() as cursor:
        for source, params in due_sources(keys, reserve=40):
            picked, picked_params = recipients_with(source)
            cursor.execute(
                f"""{picked}
SELECT picked.user_id, u.email, m.agency_id, a.webhook_url, due.deadline_id, due.hearing_id, due.reminder
FROM picked JOIN due ON due.ord = picked.ord
JOIN {users} u ON u.id = picked.user_id
JOIN {members} m ON m.user_id = u.id
JOIN {agencies} a ON a.id = m.agency_id
WHERE m.wants_digest ORDER BY due.ord, picked.user_id""",
                [*params, *picked_params],
            )
            items += [DigestItem(*row) for row in cursor.fetchall()]
    return items
