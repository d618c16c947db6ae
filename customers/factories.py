import factory

from .models import Customer


class CustomerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Customer

    name = factory.Faker("name", locale="en_IN")
    # Valid Indian mobile numbers, unique per test run.
    phone_number = factory.Sequence(lambda n: f"+9198{n:08d}")
    area = factory.Faker("city", locale="en_IN")
    status = Customer.Status.NEW
