"""Fill an empty development database with a believable team and ~300 customers."""

import random
from datetime import timedelta

import phonenumbers
from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from customers.models import (
    Customer,
    CustomerAssignmentHistory,
    CustomerNote,
    CustomerStatusHistory,
)
from customers.phones import normalize_phone

S = Customer.Status
DEMO_PASSWORD = "Welcome@2026"
MOBILE = phonenumbers.PhoneNumberType.MOBILE
MANAGER = ("manager", "Priya", "Nair")
COUNSELLORS = [("arjun", "Arjun", "Menon"), ("meera", "Meera", "Iyer"), ("rahul", "Rahul", "Verma")]
FIRST_NAMES = (
    "Aarav Aditi Akash Ananya Anjali Arun Deepa Divya Farhan Gaurav Harini Ishaan Jyoti Karthik "
    "Lakshmi Manoj Neha Nikhil Pooja Pranav Rohan Sanjana Shreya Siddharth Sneha Tanvi Varun "
    "Vikram Yamini Zoya Abdul Fathima Joseph Mariam Suresh Gopika Nandana Aswin Athira Hari"
).split()
LAST_NAMES = (
    "Nair Menon Pillai Kumar Sharma Iyer Reddy Das Joseph Thomas Khan Varghese Gupta Rao Shetty "
    "Krishnan Mathew Patel Singh Bose"
).split()
AREAS = (
    "Kochi Thrissur Kozhikode Trivandrum Kollam Palakkad Kannur Kottayam Alappuzha Malappuram "
    "Bengaluru Chennai Coimbatore Mangaluru"
).split()
REMARKS = [
    "",
    "",
    "Interested in nursing",
    "Asked about B.Tech fees",
    "Parent enquired",
    "MBA 2027",
    "Wants hostel details",
    "Referred by alumni",
    "Walk-in enquiry",
]
# The way leads really move: every demo customer walks one of these paths from NEW.
STEPS = Customer.STAGES[1:]  # the moves after NEW, in order
PATHS = {
    S.NEW: [],
    S.INVALID: [S.INVALID],
    S.CALL_NOT_ATTENDED: [S.CALL_NOT_ATTENDED],
    **{stage: list(STEPS[: STEPS.index(stage) + 1]) for stage in STEPS},
    S.NOT_INTERESTED: [S.VALID, S.PLAN_PRESENTED, S.NOT_INTERESTED],
    S.FOLLOW_UP: [S.VALID, S.PLAN_PRESENTED, S.INTERESTED, S.FOLLOW_UP],
}
# How common each status is among the demo customers.
WEIGHTS = {
    S.NEW: 30,
    S.INVALID: 12,
    S.CALL_NOT_ATTENDED: 20,
    S.VALID: 25,
    S.PLAN_PRESENTED: 25,
    S.INTERESTED: 22,
    S.NOT_INTERESTED: 20,
    S.FOLLOW_UP: 25,
    S.SHORTLISTED: 14,
    S.CAMPUS_VISIT: 10,
    S.REGISTRATION: 7,
    S.ADMISSION: 10,
}
NOTES = [
    "Called, spoke to the student.",
    "Parent picked up.",
    "Shared the brochure on WhatsApp.",
    "Asked to call back next week.",
    "",
]


class Command(BaseCommand):
    help = "Create demo users and customers when the database is empty (DEBUG only)."

    def add_arguments(self, parser):
        parser.add_argument("--customers", type=int, default=300)

    def handle(self, *args, customers, **options):
        if not settings.DEBUG:
            self.stdout.write("DEBUG is off: no demo data is ever created in production.")
            return
        if User.objects.exists():
            self.stdout.write("The database already has users: demo data left as it is.")
        else:
            self.create(customers)
            self.stdout.write(self.style.SUCCESS(f"Created demo team and {customers} customers."))
        self.print_logins()

    def print_logins(self):
        self.stdout.write(f"Demo logins (password {DEMO_PASSWORD}):")
        for username, first, last in [MANAGER, *COUNSELLORS]:
            if User.objects.filter(username=username).exists():
                role = "Sales Manager" if username == MANAGER[0] else "Student Counsellor"
                self.stdout.write(f"  {username:<10} {first} {last}, {role}")

    @transaction.atomic
    def create(self, count):
        rng = random.Random(2026)
        manager = self.make_user(*MANAGER, role=User.Role.MANAGER)
        manager.is_staff = manager.is_superuser = True
        manager.save(update_fields=["is_staff", "is_superuser"])
        counsellors = [self.make_user(*c, role=User.Role.SALES) for c in COUNSELLORS]
        now = timezone.now()
        phones = set()
        while len(phones) < count:
            candidate = phonenumbers.parse(
                f"{rng.choice('6789')}{rng.randrange(10**8, 10**9)}", "IN"
            )
            if phonenumbers.number_type(candidate) == phonenumbers.PhoneNumberType.MOBILE:
                phones.add(normalize_phone(f"+{candidate.country_code}{candidate.national_number}"))
        customers, created = [], {}
        for index, phone in enumerate(sorted(phones)):
            status = rng.choices(list(WEIGHTS), weights=list(WEIGHTS.values()))[0]
            assignee = None if index % 10 == 0 and status == S.NEW else rng.choice(counsellors)
            customers.append(
                Customer(
                    name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                    phone_number=phone,
                    area=rng.choice(AREAS),
                    date=(now - timedelta(days=rng.randrange(1, 75))).date(),
                    remark=rng.choice(REMARKS),
                    assigned_to=assignee,
                    status=status,
                )
            )
        Customer.objects.bulk_create(customers)
        status_rows, assignment_rows = [], []
        for customer in customers:
            created_at = timezone.make_aware(
                timezone.datetime.combine(customer.date, timezone.datetime.min.time())
            ) + timedelta(hours=rng.randrange(9, 18))
            path = PATHS[customer.status]
            # Spread the steps over the time since the enquiry, never into the future.
            gap = (min(now, created_at + timedelta(days=30)) - created_at) / (len(path) + 2)
            moment = created_at
            if customer.assigned_to:
                moment += gap * rng.uniform(0.2, 1)
                assignment_rows.append(
                    CustomerAssignmentHistory(
                        customer=customer,
                        new_assignee=customer.assigned_to,
                        changed_by=manager,
                        changed_at=moment,
                    )
                )
            previous = S.NEW
            for step in path:
                moment += gap * rng.uniform(0.5, 1)
                status_rows.append(
                    CustomerStatusHistory(
                        customer=customer,
                        previous_status=previous,
                        new_status=step,
                        changed_by=customer.assigned_to or manager,
                        changed_at=moment,
                        notes=rng.choice(NOTES),
                    )
                )
                previous = step
            created[customer.pk] = (created_at, moment)
        CustomerAssignmentHistory.objects.bulk_create(assignment_rows)
        CustomerStatusHistory.objects.bulk_create(status_rows)
        # Notes written with a status change join the customer's notes, as in the app.
        CustomerNote.objects.bulk_create(
            CustomerNote(
                customer_id=row.customer_id,
                author=row.changed_by,
                body=row.notes,
                created_at=row.changed_at,
                status_change=row,
            )
            for row in status_rows
            if row.notes
        )
        today = timezone.localdate()
        # auto_now_add ignores given values: backdate in a second pass. Customers waiting for
        # a call back get a follow-up date: a few overdue, some today, most in the coming days.
        for customer in customers:
            created_at, updated_at = created[customer.pk]
            follow_up = None
            if customer.status in Customer.FOLLOW_UP_REQUIRED:
                follow_up = today + timedelta(days=rng.choice([-3, -1, 0, 0, 1, 2, 4, 6]))
            Customer.objects.filter(pk=customer.pk).update(
                created_at=created_at, updated_at=updated_at, follow_up_on=follow_up
            )

    def make_user(self, username, first_name, last_name, *, role):
        user = User(
            username=username,
            first_name=first_name,
            last_name=last_name,
            role=role,
            email=f"{username}@example.com",
        )
        user.set_password(DEMO_PASSWORD)
        user.save()
        return user
