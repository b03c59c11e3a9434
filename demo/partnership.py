"""The demo partnership's people and places: "Demo Local Area", two councils, their agencies, teams and staff.

Used by `manage.py seed_demo`. Children and their plans are seeded by `demo.children` on top of the
`DemoArea` built here. Nothing here depends on the seed: the same agencies and sign-ins every time, so the
demo sign-ins in the README stay true. Demo data only: every account's password is `DEMO_PASSWORD`.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Permission
from django.utils.text import slugify

from qaf import calendar, services
from qaf.models import Agency, AgencyKind, Membership, Partnership, Role, Team, Theme, User

DEMO_PARTNERSHIP_NAME = "Demo Local Area"
DEMO_PASSWORD = "demo-password"
DEMO_EMAIL_DOMAIN = "demo.qaf.invalid"
# Requests for assessment go back about five years, so the calendar does too.
CALENDAR_YEARS_BACK = 5


class DemoError(Exception):
    """The demo cannot be seeded as asked (for example, a demo username is taken outside the demo)."""


@dataclass(frozen=True)
class DemoScale:
    children: int
    # Extra generated mainstream schools per council, so a county-sized caseload is spread realistically.
    extra_schools_per_council: int
    # Children per statutory assessment team caseworker.
    caseload: int


SCALES = {
    "demo": DemoScale(children=400, extra_schools_per_council=0, caseload=60),
    "county": DemoScale(children=15_000, extra_schools_per_council=40, caseload=180),
}


@dataclass(frozen=True)
class Council:
    name: str
    prefix: str  # of case references: "NCC-000123"
    share: float  # of the area's children


COUNCILS = (
    Council("Northshire County Council", "NCC", 0.65),
    Council("Riverton City Council", "RCC", 0.35),
)

# fmt: off
# Agencies: key, name, kind, council prefix ("" when it serves the whole area), teams.
AGENCIES: list[tuple[str, str, str, str, list[str]]] = [
    ("sqa", "Safeguarding and Quality Assurance Service", AgencyKind.SQA, "", ["Quality Assurance", "Business Support"]),
    ("ncc_sat", "Northshire SEND Statutory Assessment Team", AgencyKind.SAT, "NCC",
     ["Assessment and Planning (North)", "Assessment and Planning (South)", "Annual Reviews and Phase Transfer"]),
    ("rcc_sat", "Riverton SEND Statutory Assessment Team", AgencyKind.SAT, "RCC",
     ["Assessment and Planning", "Annual Reviews"]),
    # Education providers and services
    ("ncc_ey", "Northshire Early Years SEND Service", AgencyKind.EDUCATION, "NCC", ["Portage and Early Support"]),
    ("riverside", "Riverside Learning Trust", AgencyKind.EDUCATION, "NCC",
     ["Riverside Primary Academy inclusion team", "Riverside Secondary Academy SEND team",
      "Riverside Autism Resource Base"]),
    ("oakfield", "Oakfield Primary School", AgencyKind.EDUCATION, "NCC", ["Inclusion team"]),
    ("st_aidans", "St Aidan's Church of England Primary School", AgencyKind.EDUCATION, "NCC", []),
    ("castle_hill", "Castle Hill Academy", AgencyKind.EDUCATION, "NCC", ["Learning Support"]),
    ("brookfield", "Brookfield School", AgencyKind.EDUCATION, "NCC", ["Sixth Form"]),
    ("hollins_park", "Hollins Park School", AgencyKind.EDUCATION, "NCC", []),
    ("ncc_prs", "Northshire Pupil Referral Service", AgencyKind.EDUCATION, "NCC", []),
    ("ncc_college", "Northshire College", AgencyKind.EDUCATION, "NCC", ["Additional Learning Support"]),
    ("meadowbank", "Meadowbank Specialist College", AgencyKind.EDUCATION, "NCC", []),
    ("ncc_inclusion", "Northshire Education Inclusion Service", AgencyKind.EDUCATION, "NCC",
     ["Elective Home Education", "Post-16 Participation"]),
    ("ncc_vs", "Northshire Virtual School", AgencyKind.EDUCATION, "NCC", []),
    ("rcc_ey", "Riverton Early Years Inclusion Team", AgencyKind.EDUCATION, "RCC", []),
    ("millbrook", "Millbrook Primary School", AgencyKind.EDUCATION, "RCC", ["Inclusion team"]),
    ("st_bedes", "St Bede's Catholic Primary School", AgencyKind.EDUCATION, "RCC", []),
    ("riverton_academy", "Riverton Academy", AgencyKind.EDUCATION, "RCC", ["Enhanced Resource Provision"]),
    ("kingsmead", "Kingsmead School", AgencyKind.EDUCATION, "RCC", []),
    ("rcc_ap", "Riverton Learning Centre", AgencyKind.EDUCATION, "RCC", []),
    ("rcc_sixth", "Riverton Sixth Form College", AgencyKind.EDUCATION, "RCC", []),
    ("rcc_college", "Riverton College", AgencyKind.EDUCATION, "RCC", ["Supported Internships"]),
    ("rcc_inclusion", "Riverton Inclusion and Attendance Service", AgencyKind.EDUCATION, "RCC", []),
    ("rcc_vs", "Riverton Virtual School", AgencyKind.EDUCATION, "RCC", []),
    # Health
    ("community_health", "Northshire and Riverton Community Health NHS Trust", AgencyKind.HEALTH, "",
     ["Speech and Language Therapy", "Occupational Therapy and Physiotherapy", "Special School Nursing"]),
    ("hospital", "Riverton University Hospitals NHS Trust", AgencyKind.HEALTH, "", ["Community Paediatrics"]),
    ("camhs", "Northshire and Riverton Child and Adolescent Mental Health Service", AgencyKind.HEALTH, "",
     ["Neurodevelopmental Pathway", "CAMHS Community Team"]),
    ("icb", "NHS Northshire and Riverton Integrated Care Board", AgencyKind.HEALTH, "",
     ["Designated Clinical Officer Service"]),
    # Social care
    ("ncc_csc", "Northshire Children's Social Care", AgencyKind.SOCIAL_CARE, "NCC",
     ["Disabled Children's Team", "Children in Care Team", "Child in Need Team"]),
    ("rcc_csc", "Riverton Children's Services", AgencyKind.SOCIAL_CARE, "RCC",
     ["Children with Disabilities Team", "Looked After Children Team", "Family Support Team"]),
    # Advocacy and parent carers
    ("sendiass", "Northshire and Riverton SENDIASS", AgencyKind.ADVOCACY, "", ["Information, Advice and Support"]),
    ("ncc_pcf", "Northshire Parent Carer Forum", AgencyKind.PARENT_CARER_FORUM, "NCC", []),
    ("rcc_pcf", "Riverton Parent Carer Forum", AgencyKind.PARENT_CARER_FORUM, "RCC", []),
]

# Where children are educated: agency key -> (SEN2 setting types it offers, first and last national curriculum
# year it takes; reception is 0, early years below it, post-19 from 14).
EDUCATION_PLACES: dict[str, tuple[tuple[str, ...], int, int]] = {
    "ncc_ey": (("EY",), -5, -1),
    "riverside": (("MS", "RP"), 0, 13),
    "oakfield": (("MS", "RP"), 0, 6),
    "st_aidans": (("MS",), 0, 6),
    "castle_hill": (("MS", "RP"), 7, 13),
    "brookfield": (("SS",), 0, 13),
    "hollins_park": (("ISS",), 0, 13),
    "ncc_prs": (("AP",), 1, 11),
    "ncc_college": (("FE", "APP"), 12, 20),
    "meadowbank": (("SPI",), 12, 20),
    "ncc_inclusion": (("EHE", "NIE", "OTH"), -5, 20),
    "rcc_ey": (("EY",), -5, -1),
    "millbrook": (("MS", "RP"), 0, 6),
    "st_bedes": (("MS",), 0, 6),
    "riverton_academy": (("MS", "RP"), 7, 13),
    "kingsmead": (("SS",), 0, 13),
    "rcc_ap": (("AP",), 1, 11),
    "rcc_sixth": (("FE",), 12, 13),
    "rcc_college": (("FE", "APP"), 12, 20),
    "rcc_inclusion": (("EHE", "NIE", "OTH"), -5, 20),
}

# The demo sign-ins of DESIGN.md §4 come first; then the rest of the staff.
# username, first name, last name, job title, [(agency key, role, team name or "")]
DEMO_SIGN_INS = ["sqa", "admin", "edu.manager", "health.manager", "care.manager", "sat.manager", "auditor",
                 "hos.education", "board"]
R = Role
STAFF: list[tuple[str, str, str, str, list[tuple[str, str, str]]]] = [
    ("sqa", "Priya", "Shah", "SEND Quality Assurance Officer", [("sqa", R.SQA_OFFICER, "Quality Assurance")]),
    ("admin", "Gareth", "Hughes", "Business Support Officer (Systems)",
     [("sqa", R.PARTNERSHIP_ADMIN, "Business Support")]),
    ("edu.manager", "Claire", "Dawson", "Trust SEND Lead", [("riverside", R.AGENCY_MANAGER, "")]),
    ("health.manager", "Anita", "Okafor", "Children's Services Manager",
     [("community_health", R.AGENCY_MANAGER, "")]),
    ("care.manager", "Louise", "Barker", "Service Manager, Disabled Children's Team",
     [("ncc_csc", R.AGENCY_MANAGER, "")]),
    ("sat.manager", "Rachel", "Greenwood", "SEND Statutory Assessment Service Manager",
     [("ncc_sat", R.AGENCY_MANAGER, "")]),
    ("auditor", "Jamie", "Walsh", "SENCo, Riverside Primary Academy",
     [("riverside", R.PRACTITIONER, "Riverside Primary Academy inclusion team")]),
    ("hos.education", "Martin", "Reynolds", "Director of Inclusion", [("riverside", R.HEAD_OF_SERVICE, "")]),
    ("board", "Helen", "Marsh", "Independent Chair, SEND Executive Board", [("sqa", R.BOARD_MEMBER, "")]),
    # Safeguarding and quality assurance
    ("", "Tom", "Bennett", "Quality Assurance Officer", [("sqa", R.SQA_OFFICER, "Quality Assurance")]),
    ("", "Margaret", "O'Connor", "Head of Safeguarding and Quality Assurance", [("sqa", R.HEAD_OF_SERVICE, "")]),
    # Statutory assessment teams
    ("", "Andrew", "Pike", "Head of SEND, Northshire", [("ncc_sat", R.HEAD_OF_SERVICE, "")]),
    ("", "Sarah", "Lowe", "Team Manager, Assessment and Planning",
     [("ncc_sat", R.TEAM_MANAGER, "Assessment and Planning (North)")]),
    ("", "Imran", "Hussain", "Team Manager, Assessment and Planning",
     [("ncc_sat", R.TEAM_MANAGER, "Assessment and Planning (South)")]),
    ("", "Joanne", "Kerr", "Team Manager, Annual Reviews",
     [("ncc_sat", R.TEAM_MANAGER, "Annual Reviews and Phase Transfer")]),
    ("", "Daniel", "Okoro", "SEND Service Manager, Riverton", [("rcc_sat", R.AGENCY_MANAGER, "")]),
    ("", "Lucy", "Fletcher", "Head of SEND and Inclusion, Riverton", [("rcc_sat", R.HEAD_OF_SERVICE, "")]),
    ("", "Natalie", "Price", "Team Manager, Assessment and Planning",
     [("rcc_sat", R.TEAM_MANAGER, "Assessment and Planning")]),
    ("", "Mark", "Ellis", "Team Manager, Annual Reviews", [("rcc_sat", R.TEAM_MANAGER, "Annual Reviews")]),
    # Education
    ("", "Rebecca", "Stone", "Assistant Headteacher (Inclusion), Riverside Secondary Academy",
     [("riverside", R.TEAM_MANAGER, "Riverside Secondary Academy SEND team")]),
    ("", "Kieran", "Doyle", "SENCo, Riverside Secondary Academy",
     [("riverside", R.PRACTITIONER, "Riverside Secondary Academy SEND team")]),
    ("", "Beth", "Taylor", "Early Years SEND Lead", [("ncc_ey", R.AGENCY_MANAGER, "")]),
    ("", "Laura", "Bell", "SENCo", [("oakfield", R.AGENCY_MANAGER, "")]),
    ("", "Michael", "Byrne", "SENCo", [("st_aidans", R.AGENCY_MANAGER, "")]),
    ("", "Nadia", "Rahman", "SENCo", [("castle_hill", R.AGENCY_MANAGER, "")]),
    ("", "Ian", "Morris", "Headteacher", [("brookfield", R.AGENCY_MANAGER, "")]),
    ("", "Sophie", "Lane", "Head of Care and Admissions", [("hollins_park", R.AGENCY_MANAGER, "")]),
    ("", "Dean", "Walker", "Head of Service", [("ncc_prs", R.AGENCY_MANAGER, "")]),
    ("", "Aisha", "Begum", "Head of Additional Learning Support", [("ncc_college", R.AGENCY_MANAGER, "")]),
    ("", "Ruth", "Kaye", "Principal", [("meadowbank", R.AGENCY_MANAGER, "")]),
    ("", "Graham", "Cole", "Education Inclusion Service Manager", [("ncc_inclusion", R.AGENCY_MANAGER, "")]),
    ("", "Diane", "Foster", "Headteacher, Virtual School", [("ncc_vs", R.AGENCY_MANAGER, "")]),
    ("", "Olivia", "Reed", "Early Years Inclusion Lead", [("rcc_ey", R.AGENCY_MANAGER, "")]),
    ("", "Peter", "Shaw", "SENCo", [("millbrook", R.AGENCY_MANAGER, "")]),
    ("", "Maria", "Costa", "SENCo", [("st_bedes", R.AGENCY_MANAGER, "")]),
    ("", "Joe", "Barnes", "SENCo", [("riverton_academy", R.AGENCY_MANAGER, "")]),
    ("", "Alison", "Webb", "Headteacher", [("kingsmead", R.AGENCY_MANAGER, "")]),
    ("", "Craig", "Dunn", "Head of Centre", [("rcc_ap", R.AGENCY_MANAGER, "")]),
    ("", "Yasmin", "Ali", "Head of Learning Support", [("rcc_sixth", R.AGENCY_MANAGER, "")]),
    ("", "Lewis", "Grant", "Head of Inclusive Learning", [("rcc_college", R.AGENCY_MANAGER, "")]),
    ("", "Janet", "Moore", "Inclusion and Attendance Manager", [("rcc_inclusion", R.AGENCY_MANAGER, "")]),
    ("", "Harpreet", "Singh", "Headteacher, Virtual School", [("rcc_vs", R.AGENCY_MANAGER, "")]),
    # Health
    ("", "Simon", "Clarke", "Head of Children's Community Services", [("community_health", R.HEAD_OF_SERVICE, "")]),
    ("", "Emma", "Hardy", "Speech and Language Therapy Team Lead",
     [("community_health", R.TEAM_MANAGER, "Speech and Language Therapy")]),
    ("", "Paul", "Nowak", "Therapies Team Lead",
     [("community_health", R.TEAM_MANAGER, "Occupational Therapy and Physiotherapy")]),
    ("", "Grace", "Adeyemi", "Speech and Language Therapist",
     [("community_health", R.PRACTITIONER, "Speech and Language Therapy")]),
    ("", "Owen", "Price", "Occupational Therapist",
     [("community_health", R.PRACTITIONER, "Occupational Therapy and Physiotherapy")]),
    ("", "Hannah", "Moss", "Special School Nurse", [("community_health", R.PRACTITIONER, "Special School Nursing")]),
    ("", "Kwame", "Mensah", "Consultant Community Paediatrician", [("hospital", R.AGENCY_MANAGER, "")]),
    ("", "Neil", "Fraser", "CAMHS Service Manager", [("camhs", R.AGENCY_MANAGER, "")]),
    ("", "Zara", "Malik", "Clinical Psychologist", [("camhs", R.PRACTITIONER, "Neurodevelopmental Pathway")]),
    ("", "Ruth", "Ashworth", "Designated Clinical Officer for SEND",
     [("icb", R.AGENCY_MANAGER, "Designated Clinical Officer Service")]),
    ("", "Michael", "Osei", "Chief Nursing Officer", [("icb", R.BOARD_MEMBER, "")]),
    # Social care
    ("", "Stephen", "Wright", "Head of Children's Social Care", [("ncc_csc", R.HEAD_OF_SERVICE, "")]),
    ("", "Amy", "Collins", "Team Manager, Disabled Children's Team",
     [("ncc_csc", R.TEAM_MANAGER, "Disabled Children's Team")]),
    ("", "Rob", "Turner", "Team Manager, Children in Care", [("ncc_csc", R.TEAM_MANAGER, "Children in Care Team")]),
    ("", "Kelly", "Evans", "Social Worker", [("ncc_csc", R.PRACTITIONER, "Disabled Children's Team")]),
    ("", "Tariq", "Ahmed", "Social Worker", [("ncc_csc", R.PRACTITIONER, "Children in Care Team")]),
    ("", "Catherine", "Ellis", "Director of Children's Services, Northshire", [("ncc_csc", R.BOARD_MEMBER, "")]),
    ("", "Fiona", "Grant", "Service Manager, Children with Disabilities", [("rcc_csc", R.AGENCY_MANAGER, "")]),
    ("", "Chris", "Doyle", "Head of Children's Social Work", [("rcc_csc", R.HEAD_OF_SERVICE, "")]),
    ("", "Megan", "Hall", "Social Worker", [("rcc_csc", R.PRACTITIONER, "Children with Disabilities Team")]),
    ("", "Julie", "Sanderson", "Director of Education, Riverton", [("rcc_sat", R.BOARD_MEMBER, "")]),
    # Advocacy and parent carers
    ("", "Sue", "Patel", "SENDIASS Manager", [("sendiass", R.AGENCY_MANAGER, "")]),
    ("", "Ben", "Carter", "Information, Advice and Support Officer",
     [("sendiass", R.PRACTITIONER, "Information, Advice and Support")]),
    ("", "Karen", "Whitfield", "Co-chair, Northshire Parent Carer Forum",
     [("ncc_pcf", R.AGENCY_MANAGER, ""), ("ncc_pcf", R.BOARD_MEMBER, "")]),
    ("", "Leanne", "Rhodes", "Chair, Riverton Parent Carer Forum", [("rcc_pcf", R.AGENCY_MANAGER, "")]),
]

EXTRA_THEMES = [
    ("Emotionally based school non-attendance", "Children and young people not attending school because of anxiety."),
    ("Transition to secondary school", "Plans and reviews around the move from year 6 to year 7."),
    ("Quality of health advice", "Health contributions to EHC needs assessments and plans."),
    ("Social care contributions", "Social care needs and provision in sections D and H of plans."),
    ("Post-16 pathways", "Further education, supported internships and apprenticeships."),
]

# For generated names (caseworkers, county-scale schools); seeded with a constant so sign-ins never change.
FIRST_NAMES = ["Alex", "Amira", "Ben", "Bethany", "Callum", "Chloe", "Connor", "Deborah", "Eleanor", "Faisal",
               "Gemma", "Hassan", "Holly", "Jack", "Jade", "Kate", "Liam", "Lisa", "Matthew", "Naomi", "Nathan",
               "Niamh", "Oliver", "Rosie", "Ryan", "Samina", "Shauna", "Simone", "Tom", "Vicky"]
LAST_NAMES = ["Armstrong", "Bailey", "Chapman", "Dixon", "Edwards", "Fisher", "Gibson", "Harrison", "Iqbal",
              "Jackson", "Kaur", "Lawson", "Mitchell", "Newton", "Osborne", "Parker", "Quinn", "Robinson",
              "Saunders", "Thompson", "Underwood", "Vaughan", "Watson", "Young", "Akhtar", "Brennan", "Cooper",
              "Douglas", "Ellison", "Francis"]
SCHOOL_STEMS = ["Ash", "Birch", "Elm", "Hazel", "Holly", "Willow", "Maple", "Rowan", "Alder", "Beech", "Cedar",
                "Hawthorn", "Larch", "Linden", "Thorn", "Heather", "Bramble", "Fern", "Yew", "Poplar"]
SCHOOL_ENDINGS = ["field", "brook", "wood", "ley", "croft", "bank", "mead", "gate", "hurst", "dale"]
# fmt: on


@dataclass
class EducationPlace:
    agency: Agency
    setting_types: tuple[str, ...]
    first_year: int
    last_year: int


@dataclass
class CouncilArea:
    council: Council
    sat: Agency
    social_care: Agency
    virtual_school: Agency
    inclusion_service: Agency
    caseworkers: list[User] = field(default_factory=list)
    education: list[EducationPlace] = field(default_factory=list)


@dataclass
class DemoArea:
    """What the children seeder needs: the partnership, each council's agencies and caseworkers, health."""

    partnership: Partnership
    councils: list[CouncilArea]
    community_health: Agency
    hospital: Agency
    camhs: Agency
    advocacy: Agency
    counts: dict[str, int] = field(default_factory=dict)


def demo_partnership() -> Partnership | None:
    return Partnership.objects.filter(name=DEMO_PARTNERSHIP_NAME).first()


def partnership_delete(*, partnership: Partnership) -> None:
    """Delete a demo partnership, its users and everything that cascades from it. Callers hold a transaction."""
    User.objects.filter(partnership=partnership).delete()
    partnership.delete()


def _username(first: str, last: str, taken: set[str]) -> str:
    surname = last.replace("'", "")  # O'Connor -> oconnor, not o-connor
    base = f"{slugify(first)}.{slugify(surname)}"
    username, n = base, 1
    while username in taken:
        n += 1
        username = f"{base}{n}"
    taken.add(username)
    return username


def _staff_list(scale: DemoScale) -> list[tuple[str, str, str, str, list[tuple[str, str, str]]]]:
    """Every person to create, with usernames filled in: the fixed staff, then generated caseworkers."""
    rng = random.Random("qaf-demo-staff")
    taken = {username for username, *_ in STAFF if username}
    staff = [
        (username or _username(first, last, taken), first, last, title, roles)
        for username, first, last, title, roles in STAFF
    ]
    sat_teams = {key: teams for key, _, kind, _, teams in AGENCIES if kind == AgencyKind.SAT}
    for council in COUNCILS:
        key = f"{council.prefix.lower()}_sat"
        count = max(3, round(scale.children * council.share / scale.caseload))
        for i in range(count):
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            team = sat_teams[key][i % len(sat_teams[key])]
            title = "SEND Caseworker" if "Review" not in team else "SEND Annual Review Officer"
            staff.append((_username(first, last, taken), first, last, title, [(key, R.PRACTITIONER, team)]))
    return staff


def _extra_schools(
    scale: DemoScale, used_names: set[str]
) -> list[tuple[str, str, tuple[str, ...], int, int]]:
    """Generated mainstream schools for larger scales: (council prefix, name, settings, first year, last year)."""
    rng = random.Random("qaf-demo-schools")
    stems = [s + e for s in SCHOOL_STEMS for e in SCHOOL_ENDINGS]
    rng.shuffle(stems)
    schools: list[tuple[str, str, tuple[str, ...], int, int]] = []
    for council in COUNCILS:
        for _ in range(scale.extra_schools_per_council):
            stem = stems.pop()
            if rng.random() < 0.7:
                name, first, last = (
                    f"{stem} {rng.choice(['Primary School', 'Primary Academy', 'Infant and Junior School'])}",
                    0,
                    6,
                )
            else:
                name, first, last = f"{stem} {rng.choice(['Academy', 'High School', 'School'])}", 7, 13
            if name not in used_names:
                used_names.add(name)
                schools.append((council.prefix, name, ("MS", "RP"), first, last))
    return schools


def clashing_usernames(*, scale: DemoScale) -> list[str]:
    """Demo usernames already used by someone outside the demo partnership."""
    usernames = [s[0] for s in _staff_list(scale)]
    return sorted(
        User.objects.filter(username__in=usernames)
        .exclude(partnership__name=DEMO_PARTNERSHIP_NAME)
        .values_list("username", flat=True)
    )


def _agencies_seed(
    partnership: Partnership, council_names: dict[str, str]
) -> tuple[dict[str, Agency], dict[tuple[str, str], Team]]:
    """The demo's named agencies and their teams, by key."""
    agencies: dict[str, Agency] = {}
    teams: dict[tuple[str, str], Team] = {}
    for key, name, kind, prefix, team_names in AGENCIES:
        agency = services.agency_create(
            partnership=partnership, name=name, kind=kind, council=council_names.get(prefix, "")
        )
        agencies[key] = agency
        for team_name in team_names:
            teams[(key, team_name)] = services.team_create(agency=agency, name=team_name)
    return agencies, teams


def _council_area(
    council, agencies: dict[str, Agency], places: dict, extra_agencies: list, extra: list
) -> CouncilArea:
    """One council's services and education places."""
    p = council.prefix.lower()
    area = CouncilArea(
        council=council,
        sat=agencies[f"{p}_sat"],
        social_care=agencies[f"{p}_csc"],
        virtual_school=agencies[f"{p}_vs"],
        inclusion_service=agencies[f"{p}_inclusion"],
    )
    area.education = [place for place in places.values() if place.agency.council == council.name]
    area.education += [
        EducationPlace(agency, settings, first, last)
        for agency, (prefix, _, settings, first, last) in zip(extra_agencies, extra, strict=True)
        if prefix == council.prefix
    ]
    return area


def area_seed(*, scale: DemoScale, today: dt.date) -> DemoArea:
    """Create "Demo Local Area" with its calendar, themes, agencies, teams and staff.

    Callers hold a transaction and have deleted any earlier demo partnership. Raises DemoError if a demo
    username belongs to a user outside the demo."""
    clashes = clashing_usernames(scale=scale)
    if clashes:
        raise DemoError(f"These usernames are taken by users outside the demo: {', '.join(clashes)}.")
    partnership = services.partnership_create(
        name=DEMO_PARTNERSHIP_NAME,
        councils=", ".join(c.name for c in COUNCILS),
        first_academic_year=calendar.academic_year_start(today) - CALENDAR_YEARS_BACK,
    )
    Theme.objects.bulk_create(
        Theme(partnership=partnership, name=name, slug=slugify(name), description=description)
        for name, description in EXTRA_THEMES
    )
    council_names = {c.prefix: c.name for c in COUNCILS}
    agencies, teams = _agencies_seed(partnership, council_names)

    places = {key: EducationPlace(agencies[key], *spec) for key, spec in EDUCATION_PLACES.items()}
    extra = _extra_schools(scale, {a[1] for a in AGENCIES})
    extra_agencies = Agency.objects.bulk_create(
        Agency(partnership=partnership, name=name, kind=AgencyKind.EDUCATION, council=council_names[prefix])
        for prefix, name, *_ in extra
    )
    councils = [_council_area(council, agencies, places, extra_agencies, extra) for council in COUNCILS]

    users = _staff_seed(partnership=partnership, scale=scale, agencies=agencies, teams=teams)
    for area in councils:
        area.caseworkers = [
            user
            for user, key, role in users
            if key == area.council.prefix.lower() + "_sat" and role == Role.PRACTITIONER
        ]
    return DemoArea(
        partnership=partnership,
        councils=councils,
        community_health=agencies["community_health"],
        hospital=agencies["hospital"],
        camhs=agencies["camhs"],
        advocacy=agencies["sendiass"],
        counts={
            "agencies": len(agencies) + len(extra_agencies),
            "teams": len(teams),
            "users": len(users),
        },
    )


def _staff_seed(
    *,
    partnership: Partnership,
    scale: DemoScale,
    agencies: dict[str, Agency],
    teams: dict[tuple[str, str], Team],
) -> list[tuple[User, str, str]]:
    """Create the staff; return each with the agency key and role of their first membership."""
    users = []
    for username, first, last, title, roles in _staff_list(scale):
        user = services.user_create(
            partnership=partnership,
            username=username,
            email=f"{username}@{DEMO_EMAIL_DOMAIN}",
            first_name=first,
            last_name=last,
            job_title=title,
            memberships=[
                (agencies[key], role, teams.get((key, team)) if team else None) for key, role, team in roles
            ],
        )
        users.append((user, roles[0][0], roles[0][1]))
    # One hash for everyone: hashing the same password a hundred times would take most of a minute.
    User.objects.filter(partnership=partnership).update(password=make_password(DEMO_PASSWORD))
    admin = next(user for user, *_ in users if user.username == "admin")
    admin.is_staff = True
    admin.save(update_fields=["is_staff"])
    # Model permissions for the admin site's agencies, teams, people, memberships, calendar and themes.
    # Nothing is deleted there (qaf/admin.py switches things off instead), and partnerships are created by
    # the service operator, not by a partnership admin.
    admin.user_permissions.set(
        Permission.objects.filter(content_type__app_label="qaf")
        .exclude(codename__startswith="delete_")
        .exclude(codename="add_partnership")
    )
    return users


def sign_ins(*, partnership: Partnership) -> list[tuple[str, str, str]]:
    """The demo sign-ins of DESIGN.md §4 as (username, role, agency), in that order, read from the database."""
    rows = {
        m.user.username: (m.user.username, m.get_role_display(), m.agency.name)
        for m in Membership.objects.filter(
            user__partnership=partnership, user__username__in=DEMO_SIGN_INS
        ).select_related("user", "agency")
    }
    return [rows[username] for username in DEMO_SIGN_INS if username in rows]


def sign_in_agency_key(username: str) -> str:
    """The key (in AGENCIES) of the agency of a demo sign-in's first membership: "riverside" for
    "hos.education"."""
    return next(roles[0][0] for name, *_, roles in STAFF if name == username)
