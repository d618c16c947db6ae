"""GET /customers/<id>/: details, call and WhatsApp links, forms, and the timeline."""

import uuid
from datetime import date, timedelta

from django.utils import timezone

from customers.models import Customer, CustomerAssignmentHistory, CustomerStatusHistory

from .pages import login_url_for

S = Customer.Status


def url(customer):
    return f"/customers/{customer.pk}/"


def test_anonymous_is_sent_to_login(client, customer):
    response = client.get(url(customer))

    assert response.status_code == 302
    assert response.url == login_url_for(url(customer))


def test_a_counsellor_cannot_open_another_counsellors_customer(counsellor_client, others_customer):
    assert counsellor_client.get(url(others_customer)).status_code == 404


def test_an_unknown_customer_is_not_found(manager_client):
    assert manager_client.get(f"/customers/{uuid.uuid4()}/").status_code == 404


def test_a_counsellor_opens_their_own_customer(counsellor_client, customer):
    response = counsellor_client.get(url(customer))

    assert response.status_code == 200
    assert response.context["customer"] == customer
    assert b"Anjali Nair" in response.content


def test_a_manager_opens_anyones_customer(manager_client, others_customer):
    response = manager_client.get(url(others_customer))

    assert response.status_code == 200
    assert b"Rohan Das" in response.content


def test_the_page_links_to_call_and_whatsapp(counsellor_client, customer):
    Customer.objects.filter(pk=customer.pk).update(phone_number="+919876543210")

    content = counsellor_client.get(url(customer)).content.decode()

    assert 'href="tel:+919876543210"' in content
    assert 'href="https://wa.me/919876543210"' in content
    assert "+91 98765 43210" in content


def test_the_enquiry_date_is_shown_day_first(counsellor_client, customer):
    Customer.objects.filter(pk=customer.pk).update(date=date(2026, 2, 1))

    assert b"01/02/2026" in counsellor_client.get(url(customer)).content


def test_only_managers_get_the_assignment_form(client, manager, counsellor, customer):
    client.force_login(manager)
    manager_page = client.get(url(customer))
    client.force_login(counsellor)
    counsellor_page = client.get(url(customer))

    assert manager_page.context["assign_form"] is not None
    assert f'action="/customers/{customer.pk}/assign/"'.encode() in manager_page.content
    assert counsellor_page.context["assign_form"] is None
    assert b"/assign/" not in counsellor_page.content


def test_the_status_form_starts_at_the_current_status(counsellor_client, customer):
    response = counsellor_client.get(url(customer))

    assert response.context["status_form"]["status"].value() == S.NEW
    assert f'action="/customers/{customer.pk}/status/"'.encode() in response.content


def test_the_timeline_shows_status_and_assignment_changes_newest_first(
    counsellor_client, customer, manager, counsellor
):
    now = timezone.now()
    assigned = CustomerAssignmentHistory.objects.create(
        customer=customer,
        new_assignee=counsellor,
        changed_by=manager,
        changed_at=now - timedelta(days=3),
    )
    verified = CustomerStatusHistory.objects.create(
        customer=customer,
        previous_status=S.NEW,
        new_status=S.VALID,
        changed_by=counsellor,
        changed_at=now - timedelta(days=2),
        notes="Number verified on call",
    )
    presented = CustomerStatusHistory.objects.create(
        customer=customer,
        previous_status=S.VALID,
        new_status=S.PLAN_PRESENTED,
        changed_by=counsellor,
        changed_at=now - timedelta(days=1),
    )

    response = counsellor_client.get(url(customer))

    assert response.context["timeline"] == [presented, verified, assigned]
    content = response.content.decode()
    assert "Number verified on call" in content
    assert content.index("Plan Presented") < content.index("Number verified on call")
    assert "Assigned to <strong>Arjun Menon</strong>" in content


def test_a_customer_without_changes_says_so(counsellor_client, customer):
    assert b"No changes yet." in counsellor_client.get(url(customer)).content
