"""Deterministic data for the agent benchmark (``benchmarks/run.py``).

Everything is generated from fixed seeds, so every run, on every machine, sees the same
transcript, tickets, accounts, logs, orders and travel data. Nothing is downloaded. The MCP
server of the benchmark (``workspace_server.py``) imports this module too.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from functools import cache
from typing import Any

TODAY = date(2025, 6, 2)

FIRST = ["Ana", "Ben", "Chloé", "Dev", "Eitan", "Fatima", "Goran", "Hana", "Ivo", "Jun",
         "Kofi", "Lena", "Mateo", "Nadia", "Omar", "Priya", "Quinn", "Rosa", "Sven", "Tariq"]
LAST = ["Almeida", "Brandt", "Chen", "Dubois", "Eriksen", "Fischer", "García", "Haddad",
        "Ito", "Jansen", "Kowalski", "Lindqvist", "Moreau", "Novak", "Okafor", "Petrov"]


def _name(rng: random.Random) -> str:
    return f"{rng.choice(FIRST)} {rng.choice(LAST)}"


# -- 1. a long meeting transcript (the MCP task) ------------------------------------------------

_SUBJECTS = ["the renewal", "the SSO rollout", "the data export", "the pricing tier",
             "the onboarding plan", "the audit log", "the EU region", "the support SLA",
             "the API rate limits", "the invoice schedule", "the pilot team", "the dashboard",
             "the migration window", "the security review", "the seat count", "the roadmap"]
_VERBS = ["we need to revisit", "I'm still worried about", "legal signed off on",
          "procurement keeps asking about", "our CTO wants clarity on", "we tested",
          "the team loved", "we'd like a discount on", "can you walk us through",
          "we had an incident with", "finance approved", "we should document",
          "there's a blocker around", "I'd like to pin down", "we can compromise on"]
_TAILS = ["before the end of the quarter", "for the Berlin and Austin offices",
          "because the last vendor failed there", "if the numbers hold",
          "once the contract is countersigned", "for roughly 1,200 seats",
          "with a 30-day notice period", "by the second week of July",
          "as long as support stays 24/7", "and I'll send the details in writing",
          "without changing the payment terms", "so that the pilot can expand"]
_FILLERS = ["Right.", "Okay, makes sense.", "Sure.", "Got it.", "Yes, exactly.",
            "Let me note that down.", "Good point.", "Hm, interesting.", "Agreed."]


@cache
def transcript() -> dict[str, Any]:
    """A ~15k-token sales call transcript: 3 customer and 2 vendor speakers, timestamped."""
    rng = random.Random(1701)
    speakers = ["Dana Whitfield (Globex)", "Raj Mehta (Globex)", "Lucia Ferraro (Globex)",
                "Tom Becker (Initech)", "Aiko Tanaka (Initech)"]
    lines = []
    seconds = 0
    while len(lines) < 430:
        speaker = rng.choice(speakers)
        if rng.random() < 0.15:
            text = rng.choice(_FILLERS)
        else:
            text = " ".join(
                f"{rng.choice(_VERBS).capitalize()} {rng.choice(_SUBJECTS)} {rng.choice(_TAILS)}."
                for _ in range(rng.randint(1, 3))
            )
        lines.append(f"[{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}] "
                     f"{speaker}: {text}")
        seconds += rng.randint(4, 40)
    return {
        "document_id": "doc-7f3a",
        "title": "Globex renewal call — 2025-05-28",
        "text": "\n".join(lines),
    }


DOCUMENTS = [
    {"document_id": "doc-11c0", "title": "Globex kickoff notes — 2024-06-03"},
    {"document_id": "doc-7f3a", "title": "Globex renewal call — 2025-05-28"},
    {"document_id": "doc-9b21", "title": "Hooli renewal call — 2025-05-21"},
    {"document_id": "doc-a004", "title": "Globex QBR deck — 2025-Q1"},
]
OPPORTUNITIES = [
    {"record_id": "OPP-0417", "account": "Globex", "name": "Globex renewal FY26",
     "stage": "negotiation"},
    {"record_id": "OPP-0388", "account": "Globex", "name": "Globex EU expansion",
     "stage": "closed-lost"},
    {"record_id": "OPP-0402", "account": "Hooli", "name": "Hooli renewal FY26",
     "stage": "proposal"},
]


# -- 2. 200 support tickets with comments ---------------------------------------------------------

_TICKET_TOPICS = ["SSO login loops", "CSV export truncates rows", "webhook retries duplicate",
                  "dashboard loads slowly", "invoice PDF missing VAT", "API returns 502",
                  "mobile push not delivered", "search ignores accents", "timezone off by one",
                  "audit log gap", "bulk import fails", "password reset email late"]
_COMMENT_BITS = ["Reproduced on staging.", "Customer sent a HAR file.", "Still happening today.",
                 "Escalating to the platform team.", "Workaround shared with the customer.",
                 "Could be related to the last deploy.", "Added logs from the edge proxy.",
                 "Waiting for the customer to confirm.", "Patch is in review.",
                 "This affects three more accounts.", "Rolled back the feature flag.",
                 "Need a decision from product.", "Root cause looks like a race condition."]


@cache
def users() -> list[dict[str, Any]]:
    rng = random.Random(42)
    teams = ["Platform", "Billing", "Mobile", "Integrations", "Support Tier 2"]
    out = []
    for i in range(15):
        first, last = FIRST[i], LAST[i]
        out.append({
            "user_id": f"u-{100 + i}",
            "name": f"{first} {last}",
            "email": f"{first.lower().replace('é', 'e')}.{last.lower()}@initech.example",
            "team": rng.choice(teams),
            "timezone": rng.choice(["Europe/Berlin", "America/New_York", "Asia/Tokyo"]),
        })
    return out


@cache
def tickets() -> list[dict[str, Any]]:
    rng = random.Random(7)
    people = users()
    out = []
    for i in range(200):
        count = rng.choice([0, 1, 1, 2, 2, 3, 3, 4, 5, 6, 7, 8])
        out.append({
            "ticket_id": f"T-{3000 + i}",
            "title": f"{rng.choice(_TICKET_TOPICS)} ({rng.choice(['EU', 'US', 'APAC'])})",
            "status": rng.choice(["open", "open", "pending", "closed"]),
            "priority": rng.choice(["low", "normal", "normal", "high", "urgent"]),
            "owner_id": rng.choice(people)["user_id"],
            "created": str(TODAY - timedelta(days=rng.randint(1, 90))),
            "description": " ".join(rng.sample(_COMMENT_BITS, 2)),
            "comments": [
                {"author": _name(rng), "at": str(TODAY - timedelta(days=rng.randint(0, 30))),
                 "body": " ".join(rng.sample(_COMMENT_BITS, rng.randint(1, 3)))}
                for _ in range(count)
            ],
        })
    # Three clearly most-discussed tickets, with distinct owners.
    for rank, index in enumerate((37, 121, 164)):
        ticket = out[index]
        ticket["owner_id"] = people[3 + 4 * rank]["user_id"]
        ticket["comments"] = [
            {"author": _name(rng), "at": str(TODAY - timedelta(days=rng.randint(0, 10))),
             "body": " ".join(rng.sample(_COMMENT_BITS, rng.randint(1, 3)))}
            for _ in range(14 - 2 * rank)
        ]
    return out


# -- 3. two systems' account lists to reconcile -----------------------------------------------------

_PLANS = ["starter", "team", "business", "enterprise"]
_PRICES = {"starter": 4900, "team": 19900, "business": 79900, "enterprise": 249900}


@cache
def accounts() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(billing, crm): 500 records each, with a known set of discrepancies."""
    rng = random.Random(99)
    companies = [f"{rng.choice(LAST)} {rng.choice(['GmbH', 'Ltd', 'Inc', 'SA', 'BV', 'AB'])}"
                 for _ in range(505)]
    base = []
    for i in range(505):
        plan = rng.choice(_PLANS)
        seats = rng.randint(1, 40)
        base.append({"id": f"AC-{10000 + i * 7}", "company": companies[i], "plan": plan,
                     "mrr_cents": _PRICES[plan] * seats // 10})
    billing, crm = [], []
    for i, row in enumerate(base):
        if i % 101 != 5:  # 5 accounts missing from billing
            billing.append({"account_id": row["id"], "company": row["company"],
                            "plan": row["plan"], "mrr_cents": row["mrr_cents"],
                            "currency": "USD", "status": "active",
                            "last_invoice": str(TODAY - timedelta(days=rng.randint(1, 31)))})
        if i % 83 != 11:  # 6 accounts missing from the CRM
            plan, mrr = row["plan"], row["mrr_cents"]
            if i % 61 == 17:
                plan = _PLANS[(_PLANS.index(plan) + 1) % 4]
            if i % 47 == 29:
                mrr += 1000 * (1 + i % 5)
            crm.append({"crm_id": f"CRM-{i:04d}", "account_ref": row["id"],
                        "name": row["company"], "tier": plan,
                        "monthly_value_usd": round(mrr / 100, 2),
                        "owner": _name(rng),
                        "stage": rng.choice(["customer", "customer", "at-risk", "expanding"])})
    return billing[:500], crm[:500]


# -- 4. trip planning data -------------------------------------------------------------------------

EMPLOYEES = {"u-17": {"employee_id": "u-17", "name": "Nadia Okafor", "home_city": "Lisbon",
                      "nationality": "PT", "policy_id": "pol-eu-standard"}}
EVENTS = {"Data Summit 2025": {"name": "Data Summit 2025", "city": "Prague",
                               "country": "CZ", "venue": "Prague Congress Centre",
                               "start_date": "2025-09-16", "end_date": "2025-09-18",
                               "ends_at": "17:00"}}
POLICIES = {"pol-eu-standard": {"policy_id": "pol-eu-standard", "cabin": "economy",
                                "max_flight_eur": 400, "max_hotel_eur_per_night": 160,
                                "max_distance_km": 3.0}}
AIRPORTS = {"Lisbon": "LIS", "Prague": "PRG"}
RATES_TO_EUR = {"EUR": 1.0, "CZK": 0.0398, "USD": 0.92}
WEATHER = {("Prague", "2025-09-16"): {"city": "Prague", "date": "2025-09-16",
                                      "high_c": 21, "low_c": 11, "summary": "showers"}}
VISAS = {("PT", "CZ"): {"required": False, "note": "EU citizens travel with an ID card."}}


def _clock(day: str, minutes: int) -> str:
    """``day`` + ``minutes`` after midnight as local ISO time (may roll into the next day)."""
    moment = date.fromisoformat(day) + timedelta(days=minutes // 1440)
    return f"{moment}T{minutes % 1440 // 60:02d}:{minutes % 60:02d}"


@cache
def flights() -> dict[tuple[str, str, str, str], list[dict[str, Any]]]:
    rng = random.Random(5)
    out: dict[tuple[str, str, str, str], list[dict[str, Any]]] = {}
    for origin, dest, day in (("LIS", "PRG", "2025-09-15"), ("PRG", "LIS", "2025-09-18")):
        for cabin in ("economy", "business"):
            options = []
            for k in range(10):
                minutes = 6 * 60 + k * 95 + rng.choice([0, 5, 10, 20])
                duration = rng.choice([210, 240, 330, 420])
                price = rng.randint(140, 520) * (3 if cabin == "business" else 1)
                options.append({
                    "flight_no": f"{rng.choice(['TP', 'OK', 'LH', 'FR'])}{rng.randint(100, 999)}",
                    "depart": _clock(day, minutes),
                    "arrive": _clock(day, minutes + duration),
                    "stops": 0 if duration < 300 else 1,
                    "price_eur": price, "cabin": cabin,
                })
            out[(origin, dest, day, cabin)] = options
    return out


@cache
def hotels() -> list[dict[str, Any]]:
    rng = random.Random(11)
    names = ["Hotel Vltava", "Old Town Suites", "Castle View", "Letná Park Inn", "Karlín Lofts",
             "Riverside Plaza", "Vyšehrad Residence", "Smíchov Central", "Nové Město Boutique",
             "Pankrác Tower", "Charles Bridge Inn", "Žižkov Studios", "Holešovice Hub",
             "Josefov House", "Wenceslas Grand"]
    return [{"hotel_id": f"H-{200 + i}", "name": n, "currency": "CZK",
             "price_per_night": rng.randint(1800, 6200), "rating": round(rng.uniform(3.2, 4.9), 1),
             "distance_km_to_venue": round(rng.uniform(0.3, 6.5), 1)}
            for i, n in enumerate(names)]


# -- 5. a catalogue of 50 SKUs and their stock -------------------------------------------------------

@cache
def stock() -> dict[str, dict[str, Any]]:
    rng = random.Random(23)
    out = {}
    for i in range(50):
        sku = f"SP25-{i:03d}"
        houses = [{"warehouse": w, "on_hand": rng.randint(0, 120), "bin": f"{w[:3]}-{rng.randint(1, 99)}"}
                  for w in ("Rotterdam", "Leipzig", "Porto")]
        out[sku] = {"sku": sku, "name": f"{rng.choice(['Linen', 'Cotton', 'Wool'])} "
                                        f"{rng.choice(['shirt', 'dress', 'scarf', 'jacket'])} {i}",
                    "unit_cost_eur": round(rng.uniform(4, 60), 2),
                    "reorder_level": rng.randint(100, 220), "warehouses": houses,
                    "supplier": f"SUP-{rng.randint(1, 9)}", "updated": str(TODAY)}
    return out


# -- 6. service logs ---------------------------------------------------------------------------------

SERVICES = ["auth", "billing", "search", "checkout", "catalog", "notifications", "gateway",
            "profile", "reports", "inventory", "shipping", "reviews"]
_ERRORS = ["upstream timeout", "connection reset by peer", "database pool exhausted",
           "circuit breaker open", "invalid token signature", "out of memory"]


@cache
def logs() -> dict[str, list[dict[str, Any]]]:
    rng = random.Random(31)
    out = {}
    for s_index, service in enumerate(SERVICES):
        entries = []
        error_rate = 0.05 + (0.12 if service == "checkout" else 0.0) + 0.01 * (s_index % 3)
        for k in range(100):
            status = rng.choice([500, 502, 503, 504]) if rng.random() < error_rate else \
                rng.choice([200, 200, 200, 201, 204, 404])
            entries.append({
                "ts": f"2025-06-02T09:{k * 36 // 60:02d}:{k * 36 % 60:02d}Z",
                "level": "error" if status >= 500 else "info",
                "status": status,
                "path": rng.choice(["/v1/items", "/v1/cart", "/v1/pay", "/v1/me", "/v1/search"]),
                "latency_ms": rng.randint(3, 2400),
                "trace_id": f"{rng.getrandbits(64):016x}",
                "message": (rng.choice(_ERRORS[:2] if service == "checkout" else _ERRORS)
                            if status >= 500 else "ok"),
            })
        out[service] = entries
    return out


# -- 7. 1000 orders of a quarter, paginated ------------------------------------------------------------

REGIONS = ["EMEA", "North America", "LATAM", "APAC"]


@cache
def orders() -> list[dict[str, Any]]:
    rng = random.Random(57)
    return [{"order_id": f"SO-{50000 + i}", "date": str(date(2025, 4, 1) + timedelta(days=i % 91)),
             "region": rng.choices(REGIONS, weights=[5, 6, 2, 3])[0],
             "customer": f"{rng.choice(LAST)} {rng.choice(['GmbH', 'Ltd', 'Inc'])}",
             "amount_eur": round(rng.uniform(20, 4000), 2),
             "status": rng.choice(["paid", "paid", "paid", "refunded"])}
            for i in range(1000)]


# -- 8. one order (the control task) -------------------------------------------------------------------

SUPPORT_ORDERS = {f"A-{1000 + i}": {"order_id": f"A-{1000 + i}",
                                    "status": ["processing", "shipped", "delivered"][i % 3],
                                    "carrier": "DHL", "eta": str(TODAY + timedelta(days=i % 5)),
                                    "items": 1 + i % 4, "total_eur": 19.5 * (1 + i % 7)}
                  for i in range(100)}
