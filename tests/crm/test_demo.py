"""seed_demo's companies and contacts: realistic, owned by the demo team, safe to run twice."""

from crm import demo
from crm.models import Company, Contact


def test_seed_records_creates_companies_and_contacts_once(db):
    people = demo.seed_people()

    demo.seed_records(people)
    demo.seed_records(people)

    assert Company.objects.count() == len(demo.COMPANIES)
    assert Contact.objects.count() == len(demo.CONTACTS)
    owners = set(Company.objects.values_list("owner__username", flat=True))
    assert owners == {"alice", "bruno", "manager"}
    assert set(Company.objects.values_list("team__name", flat=True)) == {"Iberia"}
    lucia = Contact.objects.get(first_name="Lucía")
    assert lucia.email == "lucia.fernandez@bodegasalmendral.es"
    assert lucia.company.name == "Bodegas Almendral"


def test_demo_records_are_visible_to_their_owners_and_manager(db):
    people = demo.seed_people()
    demo.seed_records(people)
    alice = people.reps[0]

    assert Company.objects.visible_to(people.manager).count() == len(demo.COMPANIES)
    assert set(Company.objects.visible_to(alice).values_list("owner", flat=True)) == {alice.pk}
