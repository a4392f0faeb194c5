"""Demo people for a fresh install. Idempotent: running it again changes nothing."""

from dataclasses import dataclass

from crm.models import Company, Contact, Team, User
from crm.services import team_for_owner

DEMO_PASSWORD = "demo-pass-2026"


@dataclass
class DemoPeople:
    admin: User
    manager: User
    reps: list[User]
    team: Team


def _user(username: str, first: str, last: str, **fields) -> User:
    user, created = User.objects.get_or_create(
        username=username,
        defaults={
            "first_name": first,
            "last_name": last,
            "email": f"{username}@example.com",
            **fields,
        },
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user


def seed_people() -> DemoPeople:
    admin = _user("admin", "Ada", "Admin", role=User.Role.ADMIN, is_staff=True, is_superuser=True)
    manager = _user("manager", "Maria", "Santos", role=User.Role.MANAGER, is_staff=True)
    team, _ = Team.objects.get_or_create(name="Iberia", defaults={"manager": manager})
    reps = [
        _user("alice", "Alice", "Moreno", team=team),
        _user("bruno", "Bruno", "Keller", team=team),
    ]
    return DemoPeople(admin=admin, manager=manager, reps=reps, team=team)


# name, industry, website, phone, address
COMPANIES = [
    (
        "Bodegas Almendral",
        "Food & beverage",
        "https://www.bodegasalmendral.es",
        "+34 941 23 45 67",
        "Calle del Vino 12, 26200 Haro, La Rioja",
    ),
    (
        "Transportes Ibéricos Norte",
        "Logistics",
        "https://transibericos.es",
        "+34 944 55 21 90",
        "Polígono Ugaldeguren III, 48170 Zamudio, Bizkaia",
    ),
    (
        "Clínica Dental Sonrisa",
        "Healthcare",
        "https://www.clinicasonrisa.es",
        "+34 963 71 88 02",
        "Avenida del Puerto 88, 46023 Valencia",
    ),
    (
        "Hotel Mirador de Sevilla",
        "Hospitality",
        "https://www.miradorsevilla.com",
        "+34 954 22 61 40",
        "Calle San Fernando 4, 41004 Sevilla",
    ),
    (
        "Construcciones Levante",
        "Construction",
        "https://www.conslevante.es",
        "+34 965 10 33 27",
        "Calle Gran Vía 45, 03001 Alicante",
    ),
    (
        "Nordlicht Software GmbH",
        "Software",
        "https://www.nordlicht-software.de",
        "+49 40 3861 2200",
        "Großer Burstah 31, 20457 Hamburg, Germany",
    ),
    (
        "Atelier Lumière",
        "Retail",
        "https://www.atelier-lumiere.fr",
        "+33 1 42 60 18 75",
        "12 Rue de Rivoli, 75004 Paris, France",
    ),
    (
        "Verde Energia S.p.A.",
        "Energy",
        "https://www.verdeenergia.it",
        "+39 02 8736 4410",
        "Via Torino 61, 20123 Milano, Italy",
    ),
    (
        "Tecnologías Solares del Sur",
        "Energy",
        "https://www.tecsolsur.es",
        "+34 958 27 19 03",
        "Parque Tecnológico de la Salud, 18016 Granada",
    ),
    (
        "Editorial Cierzo",
        "Media",
        "https://www.editorialcierzo.es",
        "+34 976 30 47 58",
        "Paseo de la Independencia 21, 50001 Zaragoza",
    ),
    (
        "Lisboa Marine Supplies",
        "Manufacturing",
        "https://www.lisboamarine.pt",
        "+351 21 342 8810",
        "Rua da Madalena 190, 1100-340 Lisboa, Portugal",
    ),
    (
        "Gestoría Pérez & Asociados",
        "Professional services",
        "https://www.gestoriaperez.es",
        "+34 915 32 70 14",
        "Calle de Alcalá 120, 28009 Madrid",
    ),
]

# first name, last name, job title, company index
CONTACTS = [
    ("Lucía", "Fernández Ortega", "Export manager", 0),
    ("Javier", "Ruiz Calvo", "Managing director", 0),
    ("Ainhoa", "Etxeberria", "Fleet manager", 1),
    ("Iker", "Goikoetxea", "Operations director", 1),
    ("Marta", "Sánchez Vidal", "Practice owner", 2),
    ("Pablo", "Navarro", "Office manager", 2),
    ("Rocío", "Jiménez Marín", "General manager", 3),
    ("Álvaro", "Romero", "Purchasing", 3),
    ("Carmen", "Molina Serrano", "Events coordinator", 3),
    ("Vicente", "Llorca", "Site manager", 4),
    ("Elena", "Pastor Ibáñez", "CFO", 4),
    ("Jonas", "Becker", "Head of IT", 5),
    ("Katrin", "Schulz", "Chief executive", 5),
    ("Lukas", "Wagner", "Procurement lead", 5),
    ("Camille", "Dubois", "Store manager", 6),
    ("Hugo", "Laurent", "Buyer", 6),
    ("Giulia", "Rossi", "Energy trader", 7),
    ("Marco", "Bianchi", "Head of partnerships", 7),
    ("Antonio", "Castillo Reyes", "Engineering lead", 8),
    ("Inmaculada", "Torres", "Sales director", 8),
    ("Sergio", "Lacasa", "Editor in chief", 9),
    ("Pilar", "Gimeno", "Rights manager", 9),
    ("João", "Almeida", "Managing partner", 10),
    ("Inês", "Carvalho", "Purchasing manager", 10),
    ("Tiago", "Ferreira", "Warehouse lead", 10),
    ("Raquel", "Pérez Soto", "Partner", 11),
    ("Diego", "Martín Gil", "Tax advisor", 11),
    ("Nuria", "Vega", "Office manager", 11),
    ("Óscar", "Hidalgo", "Freelance consultant", None),
    ("Beatriz", "Cano", "Independent architect", None),
]


def _domain(website: str) -> str:
    return website.split("://", 1)[1].removeprefix("www.")


def _email_user(first: str, last: str) -> str:
    plain = str.maketrans("áéíóúüñçãêôàè", "aeiouuncaeoae")
    return f"{first}.{last.split()[0]}".lower().translate(plain)


def seed_records(people: DemoPeople) -> None:
    """Companies and contacts that look real, shared between the reps and their manager."""
    owners = [*people.reps, people.manager]
    companies = []
    for number, (name, industry, website, phone, address) in enumerate(COMPANIES):
        owner = owners[number % len(owners)]
        company, _ = Company.objects.get_or_create(
            name=name,
            defaults={
                "industry": industry,
                "website": website,
                "email_domain": _domain(website),
                "phone": phone,
                "address": address,
                "owner": owner,
                "team": team_for_owner(owner),
            },
        )
        companies.append(company)
    for number, (first, last, title, company_index) in enumerate(CONTACTS):
        company = companies[company_index] if company_index is not None else None
        owner = company.owner if company else owners[number % len(owners)]
        domain = company.email_domain if company else "gmail.com"
        Contact.objects.get_or_create(
            first_name=first,
            last_name=last,
            defaults={
                "job_title": title,
                "company": company,
                "email": f"{_email_user(first, last)}@{domain}",
                "phone": company.phone[:-2] + f"{10 + number:02d}"
                if company
                else f"+34 6{number:02d} 48 21 {number:02d}",
                "owner": owner,
                "team": team_for_owner(owner),
            },
        )
