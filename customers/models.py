import re
import uuid
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import connections, models, transaction
from django.db.models import Exists, F, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Cast, Upper
from django.utils import timezone
from django.utils.text import normalize_newlines

from . import distribution
from .phones import format_phone, search_digits
from .signals import assignment_changed, status_changed

CHUNK_SIZE = 1000
# How people type a phone number: digits, spaces, dashes, dots, brackets and a leading +.
PHONE_TYPED = re.compile(r"\+?[\d\s().-]+")
# Words of a search that count; more would only slow the query (and SQLite caps its depth).
SEARCH_WORDS = 8


def start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def during(field: str, since: date | None = None, until: date | None = None) -> dict:
    """Lookups for `field` between two local dates, both included: a date-time range from the
    start of `since` to the start of the day after `until`, which an index answers (a
    `__date` lookup would convert every row's time to a local date first)."""
    lookups = {}
    # The first and last days a date can hold bound nothing (and their local midnights may
    # not exist as UTC date-times): "from 01/01/0001" and "until 31/12/9999" mean everything.
    if since and since > date.min:
        lookups[f"{field}__gte"] = start_of(since)
    if until and until < date.max:
        lookups[f"{field}__lt"] = start_of(until + timedelta(days=1))
    return lookups


def in_period(history, since=None, until=None):
    """History rows changed between two local dates, both included."""
    return history.filter(**during("changed_at", since, until))


def next_working_day(day: date) -> date:
    """The day after `day`, skipping Sunday: the agency calls from Monday to Saturday."""
    following = day + timedelta(days=1)
    return following + timedelta(days=1) if following.weekday() == 6 else following


def next_call(now: datetime) -> tuple[date, time]:
    """When to try again after an unanswered call: the next working day, at the same time."""
    return next_working_day(now.date()), now.time().replace(second=0, microsecond=0)


def ordinal(number: int) -> str:
    """1st, 2nd, 3rd, 4th ... 11th, 12th, 13th ... 21st."""
    suffix = {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{'th' if 10 <= number % 100 <= 20 else suffix}"


def call_note(outcome, attempt: int = 0, note: str = "") -> str:
    """The timeline's words for a call: "No answer (2nd attempt)", "Connected: <note>"."""
    words = CallOutcome(outcome).label
    if attempt:
        words += f" ({ordinal(attempt)} attempt)"
    return f"{words}: {note}" if note else words


def chunks(items, size=CHUNK_SIZE):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def is_phone_typed(term: str) -> bool:
    return bool(PHONE_TYPED.fullmatch(term)) and any(c.isdigit() for c in term)


def search_terms(query: str) -> list[str]:
    """The words of a search, at most SEARCH_WORDS of them, repeats dropped; neighbouring
    words that are all phone characters are one number (`+91 98765 43210`)."""
    terms = []
    for word in query.split():
        if terms and is_phone_typed(word) and is_phone_typed(terms[-1]):
            terms[-1] += f" {word}"
        elif word.casefold() not in (term.casefold() for term in terms):
            terms.append(word)
    return terms[:SEARCH_WORDS]


def statuses_named(word: str) -> list[str]:
    """The statuses with a word in their label that starts with `word` ("int" names
    Interested and Not Interested; "up" names Follow Up)."""
    word = word.casefold()
    return [
        value
        for value, label in Status.choices
        if any(part.startswith(word) for part in label.casefold().split())
    ]


class CustomerQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Managers see every customer; counsellors only those assigned to them."""
        if user.is_manager:
            return self
        return self.filter(assigned_to=user)

    def with_status_rank(self):
        """Annotate `status_rank`, the status's place in the enrollment stages, for sorting."""
        return self.annotate(status_rank=status_rank())

    def unassigned(self):
        return self.filter(assigned_to__isnull=True)

    def with_last_note(self):
        """Annotate `last_note` and `last_note_at`: the newest note's text and time, read for
        each row fetched through the (customer, -created_at) index."""
        notes = CustomerNote.objects.filter(customer=OuterRef("pk")).order_by("-created_at", "-pk")
        return self.annotate(
            last_note=Subquery(notes.values("body")[:1]),
            last_note_at=Subquery(notes.values("created_at")[:1]),
        )

    def open(self):
        """Customers still being worked: not admitted, not lost, not an invalid contact."""
        return self.exclude(status__in=Customer.FINAL_STATUSES)

    def follow_up_overdue(self, today=None):
        return self.open().filter(follow_up_on__lt=today or timezone.localdate())

    def follow_up_due_today(self, today=None):
        return self.open().filter(follow_up_on=today or timezone.localdate())

    def follow_up_upcoming(self, today=None):
        return self.open().filter(follow_up_on__gt=today or timezone.localdate())

    def not_contacted(self):
        """New enquiries nobody has moved on from NEW yet."""
        return self.filter(status=Customer.Status.NEW)

    def ever_reached(self, status):
        """Customers who have had `status` at some time, now included (the `stages` bits)."""
        bit = Customer.stage_bit(status)
        return self.alias(stage_bits=F("stages").bitand(bit)).filter(stage_bits=bit)

    def reached(self, status, since=None, until=None):
        """Customers whose history shows a move to `status` (in the period, when given)."""
        moves = CustomerStatusHistory.objects.filter(customer=OuterRef("pk"), new_status=status)
        return self.filter(Exists(in_period(moves, since, until)))

    def moved_by(self, user, since=None, until=None):
        """Customers whose status `user` changed (in the period, when given)."""
        moves = CustomerStatusHistory.objects.filter(customer=OuterRef("pk"), changed_by=user)
        return self.filter(Exists(in_period(moves, since, until)))

    def search(self, query: str):
        """Customers matching every word of `query` (`search_terms`): each word in the name or
        the area (any part, case ignored), the start of a word of the status's label ("follow"
        finds Follow Up), or, a number of three digits or more, the phone however it is typed.
        A query that is only a phone number searches phones alone."""
        terms = search_terms(query)
        if len(terms) == 1 and is_phone_typed(terms[0]) and len(search_digits(terms[0])) >= 3:
            return self.filter(phone_number__contains=search_digits(terms[0]))
        # Each word's OR reads the trigram indexes (and the status one); the AND intersects them.
        found = self
        for term in terms:
            matches = Q(name__icontains=term) | Q(area__icontains=term)
            if is_phone_typed(term) and len(search_digits(term)) >= 3:
                matches |= Q(phone_number__contains=search_digits(term))
            elif statuses := statuses_named(term):
                matches |= Q(status__in=statuses)
            found = found.filter(matches)
        return found

    def change_status(self, new_status, *, by, note="", follow_up_on=None) -> int:
        """Set the status of every customer here and record each real change; return how many.
        A follow-up date, when given, is planned for the customers whose status changed."""
        changed = 0
        with transaction.atomic():
            pks = self.exclude(status=new_status).order_by().values("pk")
            rows = (
                Customer.objects.filter(pk__in=pks).select_for_update().values_list("pk", "status")
            )
            cleared = Customer.follow_up_cleared_by(new_status)
            if follow_up_on and not cleared:
                cleared = {"follow_up_on": follow_up_on, "follow_up_time": None}
            for chunk in chunks(list(rows)):
                Customer.objects.filter(pk__in=[pk for pk, _ in chunk]).update(
                    status=new_status, updated_at=timezone.now(), **cleared
                )
                status_changed.send(
                    sender=Customer, transitions=chunk, new_status=new_status, by=by, note=note
                )
                changed += len(chunk)
        return changed

    def share_plan(self, counsellors) -> tuple[dict, dict]:
        """How these customers would be shared between `counsellors`, lightest open load first:
        ({counsellor: [customer ids]}, {counsellor: open customers they have now})."""
        ids = list(self.order_by("created_at", "pk").values_list("pk", flat=True))
        counts = dict(
            Customer.objects.open()
            .filter(assigned_to__in=counsellors)
            .exclude(pk__in=self.values("pk"))
            .order_by()
            .values_list("assigned_to")
            .annotate(n=models.Count("pk"))
        )
        loads = {counsellor: counts.get(counsellor.pk, 0) for counsellor in counsellors}
        return distribution.plan(ids, loads), loads

    def distribute(self, counsellors, *, by) -> dict:
        """Share these customers out as `share_plan` says, recording every assignment; return
        how many each counsellor really received (already theirs does not count)."""
        shares, _ = self.share_plan(counsellors)
        given = dict.fromkeys(shares, 0)
        with transaction.atomic():
            for counsellor, ids in shares.items():
                for chunk in chunks(ids):
                    given[counsellor] += Customer.objects.filter(pk__in=chunk).assign_to(
                        counsellor, by=by
                    )
        return given

    def assign_to(self, assignee, *, by) -> int:
        """Give every customer here to `assignee` (None unassigns) and record each real change."""
        changed = 0
        with transaction.atomic():
            rows = (
                self.exclude(assigned_to=assignee) if assignee else self.exclude(assigned_to=None)
            )
            rows = (
                Customer.objects.filter(pk__in=rows.order_by().values("pk"))
                .select_for_update()
                .values_list("pk", "assigned_to_id")
            )
            for chunk in chunks(list(rows)):
                Customer.objects.filter(pk__in=[pk for pk, _ in chunk]).update(
                    assigned_to=assignee, updated_at=timezone.now()
                )
                assignment_changed.send(
                    sender=Customer, transitions=chunk, new_assignee=assignee, by=by
                )
                changed += len(chunk)
        return changed


class Status(models.TextChoices):
    """A customer's enrollment status, in the business's order (also the list's status sort)."""

    NEW = "NEW", "New"
    INVALID = "INVALID", "Invalid"
    VALID = "VALID", "Valid"
    CALL_NOT_ATTENDED = "CALL_NOT_ATTENDED", "Call Not Attended"
    PLAN_PRESENTED = "PLAN_PRESENTED", "Plan Presented"
    INTERESTED = "INTERESTED", "Interested"
    NOT_INTERESTED = "NOT_INTERESTED", "Not Interested"
    FOLLOW_UP = "FOLLOW_UP", "Follow Up"
    SHORTLISTED = "SHORTLISTED", "Shortlisted"
    CAMPUS_VISIT = "CAMPUS_VISIT", "Campus Visit"
    REGISTRATION = "REGISTRATION", "Registration"
    ADMISSION = "ADMISSION", "Admission"


class CallOutcome(models.TextChoices):
    """How a call went, as a counsellor records it from My day or the list (`record_call`)."""

    CONNECTED = "CONNECTED", "Connected"
    NO_ANSWER = "NO_ANSWER", "No answer"
    BUSY = "BUSY", "Busy"
    SWITCHED_OFF = "SWITCHED_OFF", "Switched off"
    WRONG_NUMBER = "WRONG_NUMBER", "Wrong number"


# Calls that did not get through: Call Not Attended, and another attempt planned.
UNANSWERED = (CallOutcome.NO_ANSWER, CallOutcome.BUSY, CallOutcome.SWITCHED_OFF)


# A bit per status, in the order above (migration 0004's triggers use the same).
STAGE_BITS = {status: 1 << place for place, status in enumerate(Status.values)}


def status_rank():
    """The status's place in the enrollment stages, for sorting; an index is built on this
    very expression so that the list's status sort reads it in order."""
    ranks = enumerate(Status.values)
    stages = [models.When(status=value, then=models.Value(rank)) for rank, value in ranks]
    return models.Case(*stages, output_field=models.IntegerField())


class Customer(models.Model):
    Status = Status
    CallOutcome = CallOutcome

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=200, blank=True)
    phone_number = models.CharField(
        max_length=20,
        unique=True,
        # Kept in E.164 (+919876543210), whatever way it was typed.
        help_text="+91 98765 43210 or any usual way of writing it.",
    )
    area = models.CharField(max_length=120, blank=True)
    date = models.DateField("enquiry date", null=True, blank=True)
    remark = models.TextField(blank=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="customers",
        # The composite indexes below all start with assigned_to: a lone one would only slow
        # every insert.
        db_index=False,
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NEW)
    notes = models.TextField("internal notes", blank=True, help_text="The latest summary.")
    follow_up_on = models.DateField("follow-up date", null=True, blank=True)
    follow_up_time = models.TimeField("follow-up time", null=True, blank=True)
    # Every status this customer has ever had, one bit each (`stage_bit`): the funnel's "ever
    # reached". Database triggers keep it (migration 0004), whatever writes the status.
    stages = models.IntegerField(default=0, db_default=0, editable=False)
    # The counsellor's name as the list shows it, for sorting by counsellor with an index (a
    # column of another table cannot be). Database triggers keep it (migration 0007); NULL
    # for nobody, so unassigned customers sort as they did by the joined name.
    assignee_name = models.CharField(max_length=301, null=True, editable=False)  # noqa: DJ001
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CustomerQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        # Each matches a filter or a sort of the customer list as Django writes it (see
        # docs/architecture.md, "Performance"); the trigram indexes are PostgreSQL's (0005).
        indexes = [
            models.Index(fields=["status", "created_at"]),
            # Covering: a counsellor's numbers (status, follow-ups) from the index alone.
            models.Index(
                fields=["assigned_to", "status"],
                include=["follow_up_on"],
                name="customer_assignee_status",
            ),
            models.Index(fields=["created_at", "id"]),
            models.Index(fields=["assigned_to", "follow_up_on"]),
            models.Index(fields=["assigned_to", "created_at"]),
            models.Index(fields=["name", "id"]),
            models.Index(fields=["assignee_name", "id"]),
            models.Index(fields=["area", "id"]),
            models.Index(fields=["date", "id"]),
            models.Index(fields=["updated_at", "id"]),
            # Covering: overdue follow-ups are counted per counsellor from the index alone.
            models.Index(
                fields=["follow_up_on", "id"],
                include=["status", "assigned_to"],
                name="customer_follow_up",
            ),
            models.Index(status_rank(), F("id"), name="customer_status_rank"),
            models.Index(Upper(Cast("area", models.TextField())), name="customer_area_upper"),
        ]

    def __str__(self):
        return self.name or self.display_phone

    @staticmethod
    def stage_bit(status) -> int:
        """The bit that stands for `status` in `stages` (and in the triggers that set it)."""
        return STAGE_BITS[status]

    @staticmethod
    def follow_up_cleared_by(status) -> dict:
        """Field values a move to `status` implies: final statuses end any follow-up."""
        if status in Customer.FINAL_STATUSES:
            return {"follow_up_on": None, "follow_up_time": None}
        return {}

    @property
    def is_open(self) -> bool:
        return self.status not in self.FINAL_STATUSES

    @property
    def follow_up_overdue(self) -> bool:
        return bool(self.is_open and self.follow_up_on and self.follow_up_on < timezone.localdate())

    def clean(self):
        # Browsers send textarea line breaks as CRLF; store LF so exports and imports agree.
        for name in ("name", "area", "remark", "notes"):
            setattr(self, name, normalize_newlines(getattr(self, name)))

    @property
    def display_phone(self) -> str:
        return format_phone(self.phone_number)

    @property
    def whatsapp_url(self) -> str:
        return f"https://wa.me/{self.phone_number.lstrip('+')}"

    def change_status(self, new_status, *, by, note="", call_outcome=""):
        """Set the status and record the transition; do nothing when it is unchanged. The note,
        if any, is kept with the transition, marked with the call it reports (`CallOutcome`)."""
        with transaction.atomic():
            # Read the status under a row lock: two people saving at once each record the
            # transition from what the other left, never from a stale page.
            current = Customer.objects.select_for_update().values_list("status", flat=True)
            self.status = current.get(pk=self.pk)
            if new_status == self.status:
                return False
            old_status, self.status = self.status, new_status
            cleared = self.follow_up_cleared_by(new_status)
            for name, value in cleared.items():
                setattr(self, name, value)
            self.save(update_fields=["status", "updated_at", *cleared])
            status_changed.send(
                sender=Customer,
                transitions=[(self.pk, old_status)],
                new_status=new_status,
                by=by,
                note=note,
                call_outcome=call_outcome,
            )
        return True

    def assign_to(self, assignee, *, by):
        """Give this customer to `assignee` (None unassigns) and record it; no-op if unchanged."""
        if assignee == self.assigned_to:
            return False
        old_assignee_id, self.assigned_to = self.assigned_to_id, assignee
        with transaction.atomic():
            self.save(update_fields=["assigned_to", "updated_at"])
            assignment_changed.send(
                sender=Customer,
                transitions=[(self.pk, old_assignee_id)],
                new_assignee=assignee,
                by=by,
            )
        return True

    def record_progress(
        self, *, by, status, note="", follow_up_on=None, follow_up_time=None, call_outcome=""
    ):
        """What a counsellor reports after a call: the status (changed or not), a note, and
        when to call next. A note written with a status change belongs to that change."""
        with transaction.atomic():
            changed = self.change_status(status, by=by, note=note, call_outcome=call_outcome)
            if not changed and note:
                self.add_note(note, by=by, call_outcome=call_outcome)
            planned = (follow_up_on, follow_up_time if follow_up_on else None)
            if self.is_open and planned != (self.follow_up_on, self.follow_up_time):
                self.follow_up_on, self.follow_up_time = planned
                self.save(update_fields=["follow_up_on", "follow_up_time", "updated_at"])

    def add_note(self, body, *, by, call_outcome=""):
        return CustomerNote.objects.create(
            customer=self, author=by, body=body, call_outcome=call_outcome
        )

    def record_call(
        self, outcome, *, by, status=None, note="", follow_up_on=None, follow_up_time=None
    ) -> int:
        """Record how a call went, through `record_progress`: one note that names the outcome,
        with the status change it causes. Unanswered (No answer, Busy, Switched off): Call Not
        Attended, calling again at `follow_up_on` (by default the next working day at this
        time); returns which attempt in a row this was. Wrong number: Invalid. Connected: the
        `status` the counsellor chose. Returns 0 for a call that was not unanswered."""
        outcome = CallOutcome(outcome)
        attempt = 0
        with transaction.atomic():
            # Lock the row first: two quick taps count as two attempts, never as one twice.
            Customer.objects.select_for_update().filter(pk=self.pk).values_list("pk").get()
            if outcome == CallOutcome.CONNECTED:
                if not status:
                    raise ValueError("A connected call needs the status after the call.")
            elif outcome == CallOutcome.WRONG_NUMBER:
                status, follow_up_on, follow_up_time = Status.INVALID, None, None
            else:
                status, attempt = Status.CALL_NOT_ATTENDED, self.unanswered_calls() + 1
                if not follow_up_on:
                    follow_up_on, follow_up_time = next_call(timezone.localtime())
            self.record_progress(
                by=by,
                status=status,
                note=call_note(outcome, attempt, note),
                follow_up_on=follow_up_on,
                follow_up_time=follow_up_time,
                call_outcome=outcome,
            )
        return attempt

    def unanswered_calls(self) -> int:
        """Unanswered calls in a row: those recorded since the last call that got through (or
        was a wrong number) and since the status last moved to anything but Call Not Attended
        (a status saved on the customer's page after a talk counts as getting through)."""
        calls = self.customer_notes.filter(call_outcome__in=UNANSWERED)
        answered = CustomerNote.objects.filter(
            customer=OuterRef("customer"), created_at__gt=OuterRef("created_at")
        ).exclude(call_outcome__in=[*UNANSWERED, ""])
        moved_on = CustomerStatusHistory.objects.filter(
            customer=OuterRef("customer"), changed_at__gt=OuterRef("created_at")
        ).exclude(new_status=Status.CALL_NOT_ATTENDED)
        return calls.exclude(Exists(answered)).exclude(Exists(moved_on)).count()

    def timeline(self):
        """Status and assignment changes and notes, newest first."""
        events = [
            *self.status_history.select_related("changed_by"),
            *self.assignment_history.select_related(
                "changed_by", "previous_assignee", "new_assignee"
            ),
            *self.customer_notes.filter(status_change=None).select_related("author"),
        ]
        return sorted(events, key=lambda event: event.changed_at, reverse=True)


Customer.FINAL_STATUSES = (
    Customer.Status.ADMISSION,
    Customer.Status.NOT_INTERESTED,
    Customer.Status.INVALID,
)
# The steps towards an admission, in order (the enrollment funnel). Call outcomes (Call Not
# Attended, Follow Up) and exits (Invalid, Not Interested) are not stages one advances through.
Customer.STAGES = (
    Customer.Status.NEW,
    Customer.Status.VALID,
    Customer.Status.PLAN_PRESENTED,
    Customer.Status.INTERESTED,
    Customer.Status.SHORTLISTED,
    Customer.Status.CAMPUS_VISIT,
    Customer.Status.REGISTRATION,
    Customer.Status.ADMISSION,
)
# A call that ends in these needs a date for the next one.
Customer.FOLLOW_UP_REQUIRED = (Customer.Status.FOLLOW_UP, Customer.Status.CALL_NOT_ATTENDED)


class CustomerStatusHistory(models.Model):
    kind = "status"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="status_history")
    previous_status = models.CharField(max_length=20, choices=Customer.Status.choices)
    new_status = models.CharField(max_length=20, choices=Customer.Status.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="status_changes"
    )
    changed_at = models.DateTimeField(default=timezone.now, db_index=True)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["-changed_at"]
        verbose_name_plural = "customer status history"
        indexes = [
            models.Index(fields=["customer", "-changed_at"]),
            # Admissions in a period; who moved whom in a period (dashboards, list filters).
            models.Index(fields=["new_status", "changed_at"]),
            models.Index(fields=["changed_by", "changed_at"]),
        ]

    def __str__(self):
        return f"{self.previous_status} → {self.new_status}"


class CustomerAssignmentHistory(models.Model):
    kind = "assignment"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    customer = models.ForeignKey(
        Customer, on_delete=models.CASCADE, related_name="assignment_history"
    )
    previous_assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    new_assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assignment_changes"
    )
    changed_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-changed_at"]
        verbose_name_plural = "customer assignment history"
        indexes = [models.Index(fields=["customer", "-changed_at"])]

    def __str__(self):
        return f"{self.previous_assignee} → {self.new_assignee}"


class CustomerNote(models.Model):
    """A dated, authored note. Notes written with a status change point at that change."""

    kind = "note"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="customer_notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="customer_notes"
    )
    body = models.TextField()
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    status_change = models.OneToOneField(
        CustomerStatusHistory,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="note",
    )
    # The call this note reports, when it was recorded as one (`Customer.record_call`): the
    # unanswered attempts in a row are counted from these.
    call_outcome = models.CharField(max_length=20, choices=CallOutcome.choices, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["customer", "-created_at"])]

    def __str__(self):
        return self.body[:60]

    @property
    def changed_at(self):
        """Timeline events sort on `changed_at`."""
        return self.created_at

    @property
    def changed_by(self):
        return self.author


# Past this many rows more than there are keys, reading the counts folds them together.
FOLD_AFTER = 5_000


class CustomerCountQuerySet(models.QuerySet):
    def current(self) -> list[tuple]:
        """(assigned_to_id, status, stages, customers) for every key with customers: the
        deltas summed in one query over a small table. Folds them when they have piled up."""
        rows = list(
            self.order_by()
            .values_list("assigned_to_id", "status", "stages")
            .annotate(customers=Sum("n"), deltas=models.Count("pk"))
        )
        if sum(row[4] for row in rows) > len(rows) + FOLD_AFTER:
            self.fold()
        return [row[:4] for row in rows if row[3]]

    def recount(self) -> None:
        """Derive the counts from the customer table again (one row per key). Only safe with
        no writer in between: SQLite's one-writer lock, or a quiet database."""
        connection = connections[self.db]
        table = connection.ops.quote_name(CustomerCount._meta.db_table)
        key = "assigned_to_id, status, stages"
        with transaction.atomic(using=self.db), connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {table}")
            cursor.execute(
                f"INSERT INTO {table} ({key}, n) SELECT {key}, count(*) "
                f"FROM {connection.ops.quote_name(Customer._meta.db_table)} GROUP BY {key}"
            )

    def fold(self) -> None:
        """Replace the deltas with one row per key; concurrent writers lose nothing."""
        connection = connections[self.db]
        table = connection.ops.quote_name(CustomerCount._meta.db_table)
        key = "assigned_to_id, status, stages"
        with transaction.atomic(using=self.db), connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # One statement: it sums exactly the rows it deletes; rows other transactions
                # add meanwhile are not in its snapshot and stay.
                cursor.execute(
                    f"WITH gone AS (DELETE FROM {table} RETURNING {key}, n) "
                    f"INSERT INTO {table} ({key}, n) SELECT {key}, SUM(n) FROM gone "
                    f"GROUP BY {key} HAVING SUM(n) <> 0"
                )
            else:
                # SQLite has one writer at a time and this transaction holds the write lock.
                cursor.execute(f"SELECT {key}, SUM(n) FROM {table} GROUP BY {key}")
                sums = [row for row in cursor.fetchall() if row[3]]
                cursor.execute(f"DELETE FROM {table}")
                cursor.executemany(f"INSERT INTO {table} ({key}, n) VALUES (%s, %s, %s, %s)", sums)


class CustomerCount(models.Model):
    """How many customers each (counsellor, status, stages reached) has, as rows of +/- deltas
    that database triggers on the customer table write (migration 0004) for every insert,
    update and delete, COPY included. The dashboards and list totals sum these few rows
    instead of counting a million customers. Read through `CustomerCount.objects.current()`."""

    assigned_to_id = models.UUIDField(null=True)
    status = models.CharField(max_length=20)
    stages = models.IntegerField()
    n = models.BigIntegerField()

    objects = CustomerCountQuerySet.as_manager()

    def __str__(self):
        return f"{self.assigned_to_id} {self.status} {self.stages}: {self.n:+}"
