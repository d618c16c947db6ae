from customers.models import Customer, CustomerStatusHistory


def test_counsellor_changes_status_and_history_is_written(counsellor_client, customer, counsellor):
    response = counsellor_client.post(
        f"/customers/{customer.pk}/status/", {"status": "VALID", "notes": "Verified on call"}
    )
    assert response.status_code == 302
    customer.refresh_from_db()
    assert customer.status == Customer.Status.VALID
    row = CustomerStatusHistory.objects.get(customer=customer)
    assert (row.previous_status, row.new_status, row.changed_by) == ("NEW", "VALID", counsellor)


def test_pages_render(manager_client, customer):
    for url in [
        "/dashboard/",
        "/customers/",
        f"/customers/{customer.pk}/",
        "/customers/new/",
        f"/customers/{customer.pk}/edit/",
        "/customers/?sort=-name&status=NEW&q=98",
    ]:
        assert manager_client.get(url).status_code == 200, url
