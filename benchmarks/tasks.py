"""The benchmark's task suite: tools over deterministic data, and how a competent model solves
each task with plain tool calling and with one Code Mode script.

Each :class:`Task` has

* ``question``: the user message, the same for both agents;
* ``make_tools(latency)``: the LangChain tools (each call waits ``latency`` seconds, standing
  in for an API round trip); the MCP task has a server instead (``mcp=True``);
* ``tool_calling(seen)``: the scripted tool-calling model. It is called with what the model
  has seen so far (:class:`Seen`, built from the real ``ToolMessage`` contents of the
  conversation) and returns the next reply: the tool calls a model would issue next (all
  independent calls of a step at once, in parallel), or the final answer, computed from the
  tool results it read;
* ``script``: the TypeScript a model would write against the declared API; the scripted
  Code Mode model sends it, then answers from the ``execute_code`` result it reads;
* ``expected()``: the correct answer, computed directly from the data (not through the
  tools), and ``answer(value)``, the answer text both scripted agents write from the value
  they found. A run passes when every fact of the expected answer appears in its final text.
"""

from __future__ import annotations

import asyncio
import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import bench_data as data
from langchain_core.messages import AIMessage, BaseMessage, ToolMessage
from langchain_core.tools import BaseTool, tool
from typing_extensions import NotRequired, TypedDict

# -- what a scripted model has seen -----------------------------------------------------------------


def message_text(message: BaseMessage) -> str:
    """A message's text: plain content, or the text blocks of a content list (MCP results)."""
    content = message.content
    if isinstance(content, str):
        return content
    parts = []
    for block in content:
        if isinstance(block, str):
            parts.append(block)
        elif isinstance(block, dict) and block.get("type") == "text":
            parts.append(str(block.get("text", "")))
    return "".join(parts)


def parse_tool_text(text: str) -> Any:
    """A tool result as the model would understand it: JSON when it is JSON, else the text."""
    body = text.split("\n\nconsole output:\n")[0]  # execute_code appends console notes
    try:
        return json.loads(body)
    except ValueError:
        return text


class Seen:
    """The tool calls a model made so far and the results it read, from the message history."""

    def __init__(self, messages: list[BaseMessage]) -> None:
        calls: dict[str, dict[str, Any]] = {}
        self.results: list[tuple[str, dict[str, Any], Any]] = []
        self.turn = 0
        for message in messages:
            if isinstance(message, AIMessage):
                self.turn += 1
                for call in message.tool_calls:
                    calls[str(call["id"])] = dict(call)
            elif isinstance(message, ToolMessage):
                call = calls[message.tool_call_id]
                value = parse_tool_text(message_text(message))
                if message.status == "error":
                    value = {"error": value}
                self.results.append((call["name"], call["args"], value))

    def has(self, name: str) -> bool:
        return any(n == name for n, _, _ in self.results)

    def all(self, name: str) -> list[tuple[dict[str, Any], Any]]:
        return [(args, value) for n, args, value in self.results if n == name]

    def one(self, name: str, **match: Any) -> Any:
        """The result of the first call of ``name`` whose arguments include ``match``."""
        for args, value in self.all(name):
            if all(args.get(k) == v for k, v in match.items()):
                return value
        raise LookupError(f"no result for {name}({match})")

    def calls(self, *calls: tuple[str, dict[str, Any]]) -> AIMessage:
        """One reply issuing ``calls`` together (parallel tool calls)."""
        return AIMessage(
            content="",
            tool_calls=[
                {"name": name, "args": args, "id": f"call_{self.turn}_{i}", "type": "tool_call"}
                for i, (name, args) in enumerate(calls)
            ],
        )


def code_call(script: str, turn: int = 0) -> AIMessage:
    return AIMessage(
        content="",
        tool_calls=[{"name": "execute_code", "args": {"code": script}, "id": f"call_{turn}_0",
                     "type": "tool_call"}],
    )


# -- tasks ----------------------------------------------------------------------------------------


def _money(value: float) -> str:
    return f"{value:.2f}"


def facts_of(value: Any) -> list[str]:
    """Every scalar leaf of an answer value, as it must appear in an answer's text."""
    if isinstance(value, dict):
        return [f for v in value.values() for f in facts_of(v)]
    if isinstance(value, list):
        return [f for v in value for f in facts_of(v)]
    if isinstance(value, bool) or value is None:
        return []
    if isinstance(value, float):
        return [_money(value)]
    return [str(value)]


def normalise(text: str) -> str:
    """Drop thousands separators ("12,345.60" → "12345.60") so numbers compare as written."""
    out = []
    for i, ch in enumerate(text):
        if ch == "," and 0 < i < len(text) - 1 and text[i - 1].isdigit() and text[i + 1].isdigit():
            continue
        out.append(ch)
    return "".join(out)


@dataclass
class Task:
    name: str
    title: str
    kind: str  # "data-heavy", "multi-step" or "control"
    question: str
    tool_calling: Callable[[Seen], AIMessage]
    script: str
    answer: Callable[[Any], str]
    expected: Callable[[], Any]
    make_tools: Callable[[float], list[BaseTool]] | None = None
    mcp: bool = False
    facts: Callable[[Any], list[str]] = facts_of
    notes: str = ""

    def code_mode(self, seen: Seen) -> AIMessage:
        """The scripted Code Mode model: the script, then the answer from what it returned."""
        runs = seen.all("execute_code")
        if not runs:
            return code_call(self.script, seen.turn)
        value = runs[-1][1]
        if isinstance(value, dict) and "error" in value:
            return AIMessage(content=f"The script failed: {value['error']}")
        return AIMessage(content=self.answer(value))

    def missing_facts(self, text: str) -> list[str]:
        body = normalise(text)
        return [fact for fact in self.facts(self.expected()) if fact not in body]


async def _pause(latency: float) -> None:
    if latency > 0:
        await asyncio.sleep(latency)


# 1. A long meeting transcript copied into a CRM record, over MCP --------------------------------

TRANSCRIPT_SCRIPT = """\
const [{ documents }, { opportunities }] = await Promise.all([
  tools.search_documents({ query: "Globex renewal call" }),
  tools.search_opportunities({ account: "Globex" }),
]);
const doc = documents.find((d) => d.title.includes("2025-05-28"));
const opp = opportunities.find((o) => o.name.includes("renewal") && !o.stage.startsWith("closed"));
const { text } = await tools.get_document({ document_id: doc.document_id });
return await tools.update_opportunity({ record_id: opp.record_id, notes: text });
"""


def transcript_tool_calling(seen: Seen) -> AIMessage:
    if not seen.has("search_documents"):
        return seen.calls(("search_documents", {"query": "Globex renewal call"}),
                          ("search_opportunities", {"account": "Globex"}))
    docs = seen.one("search_documents")["documents"]
    doc = next(d for d in docs if "2025-05-28" in d["title"])
    opps = seen.one("search_opportunities")["opportunities"]
    opp = next(o for o in opps if "renewal" in o["name"] and not o["stage"].startswith("closed"))
    if not seen.has("get_document"):
        return seen.calls(("get_document", {"document_id": doc["document_id"]}))
    if not seen.has("update_opportunity"):
        text = seen.one("get_document")["text"]  # the model writes the whole text back out
        return seen.calls(("update_opportunity", {"record_id": opp["record_id"], "notes": text}))
    return AIMessage(content=transcript_answer(seen.one("update_opportunity")))


def transcript_answer(value: Any) -> str:
    return (f"Done: the full transcript is now in the notes of {value['record_id']} "
            f"({value['notes_chars']} characters).")


def transcript_expected() -> Any:
    return {"record_id": "OPP-0417", "notes_chars": len(data.transcript()["text"])}


# 2. The 3 most-discussed tickets among 200, and their owners ----------------------------------


class TicketSummary(TypedDict):
    ticket_id: str
    title: str
    status: str
    priority: str


class Comment(TypedDict):
    author: str
    at: str
    body: str


class Ticket(TypedDict):
    ticket_id: str
    title: str
    status: str
    priority: str
    owner_id: str
    created: str
    description: str
    comments: list[Comment]


class User(TypedDict):
    user_id: str
    name: str
    email: str
    team: str
    timezone: str


def ticket_tools(latency: float) -> list[BaseTool]:
    by_id = {t["ticket_id"]: t for t in data.tickets()}
    people = {u["user_id"]: u for u in data.users()}

    @tool
    async def list_tickets(status: str | None = None) -> list[TicketSummary]:
        """Support tickets (id, title, status, priority), optionally only one status."""
        await _pause(latency)
        return [TicketSummary(ticket_id=t["ticket_id"], title=t["title"], status=t["status"],
                              priority=t["priority"])
                for t in data.tickets() if status is None or t["status"] == status]

    @tool
    async def get_ticket(ticket_id: str) -> Ticket:
        """One ticket with its description and every comment."""
        await _pause(latency)
        return by_id[ticket_id]  # type: ignore[return-value]

    @tool
    async def get_user(user_id: str) -> User:
        """A colleague: name, email, team and timezone."""
        await _pause(latency)
        return people[user_id]  # type: ignore[return-value]

    return [list_tickets, get_ticket, get_user]


TICKETS_SCRIPT = """\
const list = await tools.list_tickets({});
const all = await Promise.all(list.map((t) => tools.get_ticket({ ticket_id: t.ticket_id })));
const top = all.sort((a, b) => b.comments.length - a.comments.length).slice(0, 3);
const owners = await Promise.all(top.map((t) => tools.get_user({ user_id: t.owner_id })));
return top.map((t, i) => ({
  ticket_id: t.ticket_id, title: t.title, comments: t.comments.length,
  owner: owners[i].name, team: owners[i].team, email: owners[i].email,
}));
"""


def _top_tickets(tickets: list[dict[str, Any]], owners: dict[str, Any]) -> list[dict[str, Any]]:
    top = sorted(tickets, key=lambda t: -len(t["comments"]))[:3]
    return [{"ticket_id": t["ticket_id"], "title": t["title"], "comments": len(t["comments"]),
             "owner": owners[t["owner_id"]]["name"], "team": owners[t["owner_id"]]["team"],
             "email": owners[t["owner_id"]]["email"]} for t in top]


def tickets_tool_calling(seen: Seen) -> AIMessage:
    if not seen.has("list_tickets"):
        return seen.calls(("list_tickets", {}))
    if not seen.has("get_ticket"):
        return seen.calls(*[("get_ticket", {"ticket_id": t["ticket_id"]})
                            for t in seen.one("list_tickets")])
    tickets = [value for _, value in seen.all("get_ticket")]
    top = sorted(tickets, key=lambda t: -len(t["comments"]))[:3]
    if not seen.has("get_user"):
        return seen.calls(*[("get_user", {"user_id": t["owner_id"]}) for t in top])
    owners = {args["user_id"]: value for args, value in seen.all("get_user")}
    return AIMessage(content=tickets_answer(_top_tickets(tickets, owners)))


def tickets_answer(value: Any) -> str:
    lines = ["The three most-discussed tickets:"]
    for t in value:
        lines.append(f"- {t['ticket_id']} \"{t['title']}\": {t['comments']} comments; owner "
                     f"{t['owner']} ({t['team']}, {t['email']})")
    return "\n".join(lines)


def tickets_expected() -> Any:
    return _top_tickets(data.tickets(), {u["user_id"]: u for u in data.users()})


# 3. Reconcile two systems' lists of 500 accounts ----------------------------------------------


class BillingAccount(TypedDict):
    account_id: str
    company: str
    plan: str
    mrr_cents: int
    currency: str
    status: str
    last_invoice: str


class CrmAccount(TypedDict):
    crm_id: str
    account_ref: str
    name: str
    tier: str
    monthly_value_usd: float
    owner: str
    stage: str


def reconcile_tools(latency: float) -> list[BaseTool]:
    @tool
    async def export_billing_accounts() -> list[BillingAccount]:
        """Every account of the billing system (amounts in cents)."""
        await _pause(latency)
        return data.accounts()[0]  # type: ignore[return-value]

    @tool
    async def export_crm_accounts() -> list[CrmAccount]:
        """Every account of the CRM; `account_ref` is the billing account id."""
        await _pause(latency)
        return data.accounts()[1]  # type: ignore[return-value]

    return [export_billing_accounts, export_crm_accounts]


RECONCILE_SCRIPT = """\
const [billing, crm] = await Promise.all([
  tools.export_billing_accounts({}),
  tools.export_crm_accounts({}),
]);
const byRef = new Map(crm.map((c) => [c.account_ref, c]));
const billed = new Set(billing.map((b) => b.account_id));
const out = { missing_in_crm: [], missing_in_billing: [], plan_mismatch: [], mrr_mismatch: [] };
for (const b of billing) {
  const c = byRef.get(b.account_id);
  if (!c) { out.missing_in_crm.push(b.account_id); continue; }
  if (c.tier !== b.plan) out.plan_mismatch.push(b.account_id);
  if (Math.round(c.monthly_value_usd * 100) !== b.mrr_cents) out.mrr_mismatch.push(b.account_id);
}
for (const c of crm) if (!billed.has(c.account_ref)) out.missing_in_billing.push(c.account_ref);
for (const list of Object.values(out)) list.sort();
return out;
"""


def _reconcile(billing: list[dict[str, Any]], crm: list[dict[str, Any]]) -> dict[str, list[str]]:
    by_ref = {c["account_ref"]: c for c in crm}
    billed = {b["account_id"] for b in billing}
    out: dict[str, list[str]] = {"missing_in_crm": [], "missing_in_billing": [],
                                 "plan_mismatch": [], "mrr_mismatch": []}
    for b in billing:
        c = by_ref.get(b["account_id"])
        if c is None:
            out["missing_in_crm"].append(b["account_id"])
            continue
        if c["tier"] != b["plan"]:
            out["plan_mismatch"].append(b["account_id"])
        if round(c["monthly_value_usd"] * 100) != b["mrr_cents"]:
            out["mrr_mismatch"].append(b["account_id"])
    out["missing_in_billing"] = [c["account_ref"] for c in crm if c["account_ref"] not in billed]
    return {k: sorted(v) for k, v in out.items()}


def reconcile_tool_calling(seen: Seen) -> AIMessage:
    if not seen.has("export_billing_accounts"):
        return seen.calls(("export_billing_accounts", {}), ("export_crm_accounts", {}))
    value = _reconcile(seen.one("export_billing_accounts"), seen.one("export_crm_accounts"))
    return AIMessage(content=reconcile_answer(value))


def reconcile_answer(value: Any) -> str:
    labels = {"missing_in_crm": "In billing but missing from the CRM",
              "missing_in_billing": "In the CRM but missing from billing",
              "plan_mismatch": "Plan differs", "mrr_mismatch": "Monthly value differs"}
    return "\n".join(f"{labels[k]} ({len(v)}): {', '.join(v) or 'none'}" for k, v in value.items())


def reconcile_expected() -> Any:
    return _reconcile(*data.accounts())


# 4. A trip needing 12 dependent lookups -----------------------------------------------------------


class Employee(TypedDict):
    employee_id: str
    name: str
    home_city: str
    nationality: str
    policy_id: str


class Event(TypedDict):
    name: str
    city: str
    country: str
    venue: str
    start_date: str
    end_date: str
    ends_at: str


class TravelPolicy(TypedDict):
    policy_id: str
    cabin: str
    max_flight_eur: int
    max_hotel_eur_per_night: int
    max_distance_km: float


class Airport(TypedDict):
    city: str
    code: str


class Flight(TypedDict):
    flight_no: str
    depart: str
    arrive: str
    stops: int
    price_eur: int
    cabin: str


class Hotel(TypedDict):
    hotel_id: str
    name: str
    currency: str
    price_per_night: int
    rating: float
    distance_km_to_venue: float


class HotelDetails(TypedDict):
    hotel_id: str
    name: str
    address: str
    cancellation: str


class Rate(TypedDict):
    currency: str
    eur_per_unit: float


class Weather(TypedDict):
    city: str
    date: str
    high_c: int
    low_c: int
    summary: str


class Visa(TypedDict):
    required: bool
    note: str
    error: NotRequired[str]


def trip_tools(latency: float) -> list[BaseTool]:
    @tool
    async def get_employee(employee_id: str) -> Employee:
        """An employee's profile: home city, nationality and travel policy id."""
        await _pause(latency)
        return data.EMPLOYEES[employee_id]  # type: ignore[return-value]

    @tool
    async def get_event(name: str) -> Event:
        """A conference by name: city, country, venue, dates (local) and closing time."""
        await _pause(latency)
        return data.EVENTS[name]  # type: ignore[return-value]

    @tool
    async def get_travel_policy(policy_id: str) -> TravelPolicy:
        """Travel policy limits: cabin class, flight and hotel caps in EUR, max hotel distance."""
        await _pause(latency)
        return data.POLICIES[policy_id]  # type: ignore[return-value]

    @tool
    async def find_airport(city: str) -> Airport:
        """The main airport code of a city."""
        await _pause(latency)
        return Airport(city=city, code=data.AIRPORTS[city])

    @tool
    async def search_flights(origin: str, destination: str, date: str, cabin: str) -> list[Flight]:
        """Flights between two airport codes on a date (YYYY-MM-DD); local ISO times."""
        await _pause(latency)
        return data.flights()[(origin, destination, date, cabin)]  # type: ignore[return-value]

    @tool
    async def search_hotels(city: str, check_in: str, check_out: str) -> list[Hotel]:
        """Hotels with rooms for the dates; price per night in the hotel's currency."""
        await _pause(latency)
        return data.hotels()  # type: ignore[return-value]

    @tool
    async def get_hotel(hotel_id: str) -> HotelDetails:
        """A hotel's address and cancellation terms."""
        await _pause(latency)
        hotel = next(h for h in data.hotels() if h["hotel_id"] == hotel_id)
        number = int(hotel_id.split("-")[1])
        return HotelDetails(hotel_id=hotel_id, name=hotel["name"],
                            address=f"Vinohradská {number % 97 + 1}, Prague",
                            cancellation="free until 48h before arrival")

    @tool
    async def get_exchange_rate(currency: str) -> Rate:
        """How many EUR one unit of `currency` is worth today."""
        await _pause(latency)
        return Rate(currency=currency, eur_per_unit=data.RATES_TO_EUR[currency])

    @tool
    async def get_weather(city: str, date: str) -> Weather:
        """The forecast for a city on a date."""
        await _pause(latency)
        return data.WEATHER[(city, date)]  # type: ignore[return-value]

    @tool
    async def get_visa_requirements(nationality: str, country: str) -> Visa:
        """Whether a citizen of `nationality` needs a visa for `country` (ISO codes)."""
        await _pause(latency)
        return data.VISAS[(nationality, country)]  # type: ignore[return-value]

    return [get_employee, get_event, get_travel_policy, find_airport, search_flights,
            search_hotels, get_hotel, get_exchange_rate, get_weather, get_visa_requirements]


TRIP_QUESTION = (
    "I'm employee u-17. Plan my trip to \"Data Summit 2025\" within my travel policy. Fly in the "
    "day before it starts, landing by 21:00; fly home on its last day, departing at 19:00 or "
    "later; take the cheapest flights in my cabin class under the flight cap. Stay from the "
    "arrival day to the last day, in the best-rated hotel within the nightly cap (in EUR) and "
    "distance limit (cheaper wins a tie). Give both flight numbers, the hotel with its address "
    "and cancellation terms, the total cost in EUR, the weather on the first day and whether I "
    "need a visa."
)

TRIP_SCRIPT = """\
const [me, event] = await Promise.all([
  tools.get_employee({ employee_id: "u-17" }),
  tools.get_event({ name: "Data Summit 2025" }),
]);
const shift = (day: string, days: number) => {
  const d = new Date(day + "T00:00:00Z");
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
};
const arrival = shift(event.start_date, -1);
const [policy, home, there, hotels, weather, visa] = await Promise.all([
  tools.get_travel_policy({ policy_id: me.policy_id }),
  tools.find_airport({ city: me.home_city }),
  tools.find_airport({ city: event.city }),
  tools.search_hotels({ city: event.city, check_in: arrival, check_out: event.end_date }),
  tools.get_weather({ city: event.city, date: event.start_date }),
  tools.get_visa_requirements({ nationality: me.nationality, country: event.country }),
]);
const [outbound, inbound, rate] = await Promise.all([
  tools.search_flights({ origin: home.code, destination: there.code, date: arrival, cabin: policy.cabin }),
  tools.search_flights({ origin: there.code, destination: home.code, date: event.end_date, cabin: policy.cabin }),
  tools.get_exchange_rate({ currency: hotels[0].currency }),
]);
const cheapest = (flights: { price_eur: number }[]) =>
  flights.filter((f) => f.price_eur <= policy.max_flight_eur).sort((a, b) => a.price_eur - b.price_eur)[0];
const go = cheapest(outbound.filter((f) => f.arrive <= `${arrival}T21:00`));
const back = cheapest(inbound.filter((f) => f.depart >= `${event.end_date}T19:00`));
const perNight = (h: { price_per_night: number }) => h.price_per_night * rate.eur_per_unit;
const hotel = hotels
  .filter((h) => perNight(h) <= policy.max_hotel_eur_per_night && h.distance_km_to_venue <= policy.max_distance_km)
  .sort((a, b) => b.rating - a.rating || a.price_per_night - b.price_per_night)[0];
const details = await tools.get_hotel({ hotel_id: hotel.hotel_id });
const nights = (Date.parse(event.end_date) - Date.parse(arrival)) / 86400000;
const total = go.price_eur + back.price_eur + nights * perNight(hotel);
return {
  outbound: go.flight_no, inbound: back.flight_no, hotel: details.name, address: details.address,
  cancellation: details.cancellation, total_eur: Math.round(total * 100) / 100,
  weather: `${weather.summary}, ${weather.low_c}-${weather.high_c} °C`, visa_required: visa.required,
};
"""


def _plan(me: dict[str, Any], event: dict[str, Any], policy: dict[str, Any],
          outbound: list[dict[str, Any]], inbound: list[dict[str, Any]],
          hotels: list[dict[str, Any]], rate: float) -> tuple[Any, Any, Any]:
    arrival = str(date.fromisoformat(event["start_date"]) - timedelta(days=1))

    def cheapest(flights: list[dict[str, Any]]) -> Any:
        fitting = [f for f in flights if f["price_eur"] <= policy["max_flight_eur"]]
        return min(fitting, key=lambda f: f["price_eur"])

    go = cheapest([f for f in outbound if f["arrive"] <= f"{arrival}T21:00"])
    back = cheapest([f for f in inbound if f["depart"] >= f"{event['end_date']}T19:00"])
    fitting = [h for h in hotels if h["price_per_night"] * rate <= policy["max_hotel_eur_per_night"]
               and h["distance_km_to_venue"] <= policy["max_distance_km"]]
    hotel = min(fitting, key=lambda h: (-h["rating"], h["price_per_night"]))
    return go, back, hotel


def _trip_value(go: Any, back: Any, hotel: Any, details: Any, rate: float, nights: int,
                weather: Any, visa: Any) -> dict[str, Any]:
    total = go["price_eur"] + back["price_eur"] + nights * (hotel["price_per_night"] * rate)
    return {"outbound": go["flight_no"], "inbound": back["flight_no"], "hotel": details["name"],
            "address": details["address"], "cancellation": details["cancellation"],
            "total_eur": round(total * 100) / 100,
            "weather": f"{weather['summary']}, {weather['low_c']}-{weather['high_c']} °C",
            "visa_required": visa["required"]}


def trip_tool_calling(seen: Seen) -> AIMessage:
    if not seen.has("get_employee"):
        return seen.calls(("get_employee", {"employee_id": "u-17"}),
                          ("get_event", {"name": "Data Summit 2025"}))
    me, event = seen.one("get_employee"), seen.one("get_event")
    arrival = str(date.fromisoformat(event["start_date"]) - timedelta(days=1))
    if not seen.has("get_travel_policy"):
        return seen.calls(
            ("get_travel_policy", {"policy_id": me["policy_id"]}),
            ("find_airport", {"city": me["home_city"]}),
            ("find_airport", {"city": event["city"]}),
            ("search_hotels", {"city": event["city"], "check_in": arrival,
                               "check_out": event["end_date"]}),
            ("get_weather", {"city": event["city"], "date": event["start_date"]}),
            ("get_visa_requirements", {"nationality": me["nationality"],
                                       "country": event["country"]}),
        )
    policy, hotels = seen.one("get_travel_policy"), seen.one("search_hotels")
    home = seen.one("find_airport", city=me["home_city"])["code"]
    there = seen.one("find_airport", city=event["city"])["code"]
    if not seen.has("search_flights"):
        return seen.calls(
            ("search_flights", {"origin": home, "destination": there, "date": arrival,
                                "cabin": policy["cabin"]}),
            ("search_flights", {"origin": there, "destination": home, "date": event["end_date"],
                                "cabin": policy["cabin"]}),
            ("get_exchange_rate", {"currency": hotels[0]["currency"]}),
        )
    rate = seen.one("get_exchange_rate")["eur_per_unit"]
    go, back, hotel = _plan(me, event, policy, seen.one("search_flights", origin=home),
                            seen.one("search_flights", origin=there), hotels, rate)
    if not seen.has("get_hotel"):
        return seen.calls(("get_hotel", {"hotel_id": hotel["hotel_id"]}))
    nights = (date.fromisoformat(event["end_date"]) - date.fromisoformat(arrival)).days
    value = _trip_value(go, back, hotel, seen.one("get_hotel"), rate, nights,
                        seen.one("get_weather"), seen.one("get_visa_requirements"))
    return AIMessage(content=trip_answer(value))


def trip_answer(value: Any) -> str:
    visa = "You need a visa." if value["visa_required"] else "No visa needed."
    return (f"Fly out on {value['outbound']} and home on {value['inbound']}. Stay at "
            f"{value['hotel']}, {value['address']} (cancellation: {value['cancellation']}). "
            f"Total: {_money(value['total_eur'])} EUR. First day weather: {value['weather']}. "
            f"{visa}")


def trip_expected() -> Any:
    me, event = data.EMPLOYEES["u-17"], data.EVENTS["Data Summit 2025"]
    policy = data.POLICIES[me["policy_id"]]
    arrival = "2025-09-15"
    rate = data.RATES_TO_EUR["CZK"]
    go, back, hotel = _plan(me, event, policy,
                            data.flights()[("LIS", "PRG", arrival, "economy")],
                            data.flights()[("PRG", "LIS", "2025-09-18", "economy")],
                            data.hotels(), rate)
    details = {"name": hotel["name"],
               "address": f"Vinohradská {int(hotel['hotel_id'][2:]) % 97 + 1}, Prague",
               "cancellation": "free until 48h before arrival"}
    return _trip_value(go, back, hotel, details, rate, 3, data.WEATHER[("Prague", "2025-09-16")],
                       data.VISAS[("PT", "CZ")])


# 5. 50 items fetched in parallel and aggregated -------------------------------------------------


class CatalogueItem(TypedDict):
    sku: str
    name: str


class WarehouseStock(TypedDict):
    warehouse: str
    on_hand: int
    bin: str


class Stock(TypedDict):
    sku: str
    name: str
    unit_cost_eur: float
    reorder_level: int
    warehouses: list[WarehouseStock]
    supplier: str
    updated: str


def inventory_tools(latency: float) -> list[BaseTool]:
    @tool
    async def get_catalogue(season: str) -> list[CatalogueItem]:
        """The SKUs of a seasonal catalogue, e.g. "spring-2025"."""
        await _pause(latency)
        return [CatalogueItem(sku=s["sku"], name=s["name"]) for s in data.stock().values()]

    @tool
    async def get_stock(sku: str) -> Stock:
        """Stock of one SKU per warehouse, its unit cost and reorder level."""
        await _pause(latency)
        return data.stock()[sku]  # type: ignore[return-value]

    return [get_catalogue, get_stock]


INVENTORY_SCRIPT = """\
const items = await tools.get_catalogue({ season: "spring-2025" });
const stock = await Promise.all(items.map((i) => tools.get_stock({ sku: i.sku })));
let total = 0;
const below: string[] = [];
for (const s of stock) {
  const units = s.warehouses.reduce((n, w) => n + w.on_hand, 0);
  total += units * s.unit_cost_eur;
  if (units < s.reorder_level) below.push(s.sku);
}
return { total_value_eur: Math.round(total * 100) / 100, below_reorder: below.sort() };
"""


def _inventory(stock: list[dict[str, Any]]) -> dict[str, Any]:
    total, below = 0.0, []
    for s in stock:
        units = sum(w["on_hand"] for w in s["warehouses"])
        total += units * s["unit_cost_eur"]
        if units < s["reorder_level"]:
            below.append(s["sku"])
    return {"total_value_eur": round(total * 100) / 100, "below_reorder": sorted(below)}


def inventory_tool_calling(seen: Seen) -> AIMessage:
    if not seen.has("get_catalogue"):
        return seen.calls(("get_catalogue", {"season": "spring-2025"}))
    if not seen.has("get_stock"):
        return seen.calls(*[("get_stock", {"sku": i["sku"]}) for i in seen.one("get_catalogue")])
    return AIMessage(content=inventory_answer(_inventory([v for _, v in seen.all("get_stock")])))


def inventory_answer(value: Any) -> str:
    return (f"Total stock value: {_money(value['total_value_eur'])} EUR. Below reorder level "
            f"({len(value['below_reorder'])}): {', '.join(value['below_reorder'])}.")


def inventory_expected() -> Any:
    return _inventory(list(data.stock().values()))


# 6. Logs of 12 services: which one fails most, and why ----------------------------------------


class LogEntry(TypedDict):
    ts: str
    level: str
    status: int
    path: str
    latency_ms: int
    trace_id: str
    message: str


def logs_tools(latency: float) -> list[BaseTool]:
    @tool
    async def list_services() -> list[str]:
        """Names of the production services."""
        await _pause(latency)
        return list(data.SERVICES)

    @tool
    async def get_logs(service: str, since: str) -> list[LogEntry]:
        """Request log entries of a service since an ISO timestamp (UTC), oldest first."""
        await _pause(latency)
        return [e for e in data.logs()[service] if e["ts"] >= since]  # type: ignore[misc]

    return [list_services, get_logs]


LOGS_SCRIPT = """\
const services = await tools.list_services({});
const logs = await Promise.all(
  services.map((service) => tools.get_logs({ service, since: "2025-06-02T09:00:00Z" })),
);
let worst = { service: "", errors_5xx: -1, top_message: "", top_message_count: 0 };
services.forEach((service, i) => {
  const errors = logs[i].filter((e) => e.status >= 500);
  if (errors.length <= worst.errors_5xx) return;
  const counts: Record<string, number> = {};
  for (const e of errors) counts[e.message] = (counts[e.message] ?? 0) + 1;
  const [top_message, top_message_count] = Object.entries(counts).sort((a, b) => b[1] - a[1])[0];
  worst = { service, errors_5xx: errors.length, top_message, top_message_count };
});
return worst;
"""


def _worst_service(logs: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    worst: dict[str, Any] = {"service": "", "errors_5xx": -1}
    for service, entries in logs.items():
        errors = [e for e in entries if e["status"] >= 500]
        if len(errors) <= worst["errors_5xx"]:
            continue
        message, count = Counter(e["message"] for e in errors).most_common(1)[0]
        worst = {"service": service, "errors_5xx": len(errors), "top_message": message,
                 "top_message_count": count}
    return worst


def logs_tool_calling(seen: Seen) -> AIMessage:
    if not seen.has("list_services"):
        return seen.calls(("list_services", {}))
    if not seen.has("get_logs"):
        return seen.calls(*[("get_logs", {"service": s, "since": "2025-06-02T09:00:00Z"})
                            for s in seen.one("list_services")])
    value = _worst_service({args["service"]: v for args, v in seen.all("get_logs")})
    return AIMessage(content=logs_answer(value))


def logs_answer(value: Any) -> str:
    return (f"{value['service']} returned the most 5xx responses since 09:00 UTC: "
            f"{value['errors_5xx']}. Its most common error was \"{value['top_message']}\" "
            f"({value['top_message_count']} times).")


def logs_expected() -> Any:
    return _worst_service(data.logs())


# 7. A quarter's 1000 orders through 4 pages ------------------------------------------------------


class SalesOrder(TypedDict):
    order_id: str
    date: str
    region: str
    customer: str
    amount_eur: float
    status: str


class OrderPage(TypedDict):
    orders: list[SalesOrder]
    next_cursor: str | None


PAGE = 250


def sales_tools(latency: float) -> list[BaseTool]:
    @tool
    async def get_orders(quarter: str, cursor: str | None = None) -> OrderPage:
        """One page of a quarter's orders (e.g. "2025-Q2"); pass `next_cursor` for the next
        page, which is null on the last page."""
        await _pause(latency)
        start = int(cursor or 0)
        rows = data.orders()[start : start + PAGE]
        more = start + PAGE < len(data.orders())
        return OrderPage(orders=rows, next_cursor=str(start + PAGE) if more else None)  # type: ignore[typeddict-item]

    return [get_orders]


SALES_SCRIPT = """\
const revenue: Record<string, number> = {};
let cursor: string | null = null;
do {
  const page = await tools.get_orders({ quarter: "2025-Q2", cursor });
  for (const o of page.orders) {
    if (o.status !== "refunded") revenue[o.region] = (revenue[o.region] ?? 0) + o.amount_eur;
  }
  cursor = page.next_cursor;
} while (cursor);
for (const r in revenue) revenue[r] = Math.round(revenue[r] * 100) / 100;
const top_region = Object.keys(revenue).sort((a, b) => revenue[b] - revenue[a])[0];
return { revenue_by_region: revenue, top_region };
"""


def _revenue(orders: list[dict[str, Any]]) -> dict[str, Any]:
    revenue: dict[str, float] = {}
    for o in orders:
        if o["status"] != "refunded":
            revenue[o["region"]] = revenue.get(o["region"], 0.0) + o["amount_eur"]
    rounded = {r: round(v * 100) / 100 for r, v in revenue.items()}
    return {"revenue_by_region": rounded, "top_region": max(rounded, key=lambda r: rounded[r])}


def sales_tool_calling(seen: Seen) -> AIMessage:
    pages = [v for _, v in seen.all("get_orders")]
    if not pages:
        return seen.calls(("get_orders", {"quarter": "2025-Q2"}))
    if pages[-1]["next_cursor"]:
        return seen.calls(("get_orders", {"quarter": "2025-Q2",
                                          "cursor": pages[-1]["next_cursor"]}))
    return AIMessage(content=sales_answer(_revenue([o for p in pages for o in p["orders"]])))


def sales_answer(value: Any) -> str:
    lines = [f"- {r}: {_money(v)} EUR" for r, v in value["revenue_by_region"].items()]
    return "Paid revenue in 2025-Q2 by region:\n" + "\n".join(lines) + \
        f"\nHighest: {value['top_region']}."


def sales_expected() -> Any:
    return _revenue(data.orders())


# 8. One direct lookup (the control: Code Mode should not win much) -------------------------------


class OrderStatus(TypedDict):
    order_id: str
    status: str
    carrier: str
    eta: str
    items: int
    total_eur: float


class Customer(TypedDict):
    customer_id: str
    name: str
    email: str


class ReturnLabel(TypedDict):
    return_id: str
    label_url: str


def lookup_tools(latency: float) -> list[BaseTool]:
    @tool
    async def get_order(order_id: str) -> OrderStatus:
        """An order's status, carrier, ETA, item count and total."""
        await _pause(latency)
        return data.SUPPORT_ORDERS[order_id]  # type: ignore[return-value]

    @tool
    async def get_customer(customer_id: str) -> Customer:
        """A customer's name and email."""
        await _pause(latency)
        return Customer(customer_id=customer_id, name="Ana Almeida", email="ana@example.com")

    @tool
    async def list_customer_orders(customer_id: str) -> list[str]:
        """Order ids of a customer, newest first."""
        await _pause(latency)
        return list(data.SUPPORT_ORDERS)[:5]

    @tool
    async def create_return(order_id: str, reason: str) -> ReturnLabel:
        """Open a return for an order; returns the label to print."""
        await _pause(latency)
        return ReturnLabel(return_id=f"R-{order_id}", label_url=f"https://example.com/{order_id}")

    return [get_order, get_customer, list_customer_orders, create_return]


LOOKUP_SCRIPT = """\
const o = await tools.get_order({ order_id: "A-1042" });
return { order_id: o.order_id, status: o.status, carrier: o.carrier, eta: o.eta };
"""


def lookup_tool_calling(seen: Seen) -> AIMessage:
    if not seen.has("get_order"):
        return seen.calls(("get_order", {"order_id": "A-1042"}))
    o = seen.one("get_order")
    return AIMessage(content=lookup_answer({k: o[k] for k in ("order_id", "status", "carrier",
                                                              "eta")}))


def lookup_answer(value: Any) -> str:
    return (f"Order {value['order_id']} is {value['status']} with {value['carrier']}; "
            f"expected {value['eta']}.")


def lookup_expected() -> Any:
    o = data.SUPPORT_ORDERS["A-1042"]
    return {k: o[k] for k in ("order_id", "status", "carrier", "eta")}


TASKS: list[Task] = [
    Task(
        name="transcript_to_crm", title="Long transcript into a CRM record (MCP)",
        kind="data-heavy",
        question=("Copy the full transcript of the Globex renewal call of 28 May 2025 from the "
                  "shared drive into the notes of the open Globex renewal opportunity in the "
                  "CRM, word for word. Tell me which record you updated and how many characters "
                  "were saved."),
        tool_calling=transcript_tool_calling, script=TRANSCRIPT_SCRIPT,
        answer=transcript_answer, expected=transcript_expected, mcp=True,
        notes="Tools come from a local stdio MCP server (benchmarks/workspace_server.py).",
    ),
    Task(
        name="top_tickets", title="3 most-discussed of 200 tickets, with owners",
        kind="data-heavy",
        question=("Which 3 support tickets have the most comments? For each, give the ticket "
                  "id, title, number of comments, and the owner's name, team and email."),
        tool_calling=tickets_tool_calling, script=TICKETS_SCRIPT, answer=tickets_answer,
        expected=tickets_expected, make_tools=ticket_tools,
    ),
    Task(
        name="reconcile", title="Reconcile 2×500 account records", kind="data-heavy",
        question=("Reconcile the billing system against the CRM. Which accounts are missing "
                  "from either system, and which have a different plan or monthly value? Give "
                  "the billing account ids."),
        tool_calling=reconcile_tool_calling, script=RECONCILE_SCRIPT, answer=reconcile_answer,
        expected=reconcile_expected, make_tools=reconcile_tools,
    ),
    Task(
        name="trip", title="Trip plan from 12 dependent lookups", kind="multi-step",
        question=TRIP_QUESTION, tool_calling=trip_tool_calling, script=TRIP_SCRIPT,
        answer=trip_answer, expected=trip_expected, make_tools=trip_tools,
        # The decisions; weather and terms a real model may phrase its own way.
        facts=lambda v: [v["outbound"], v["inbound"], v["hotel"], _money(v["total_eur"])],
    ),
    Task(
        name="inventory", title="50 SKUs fetched in parallel, aggregated", kind="data-heavy",
        question=("For the spring-2025 catalogue: what is the total stock value in EUR (units "
                  "on hand across all warehouses × unit cost), and which SKUs are below their "
                  "reorder level?"),
        tool_calling=inventory_tool_calling, script=INVENTORY_SCRIPT, answer=inventory_answer,
        expected=inventory_expected, make_tools=inventory_tools,
    ),
    Task(
        name="log_triage", title="Worst of 12 services' logs (1,200 entries)", kind="data-heavy",
        question=("Which service returned the most 5xx responses since 09:00 UTC today "
                  "(2025-06-02), how many, and what was its most common error message?"),
        tool_calling=logs_tool_calling, script=LOGS_SCRIPT, answer=logs_answer,
        expected=logs_expected, make_tools=logs_tools,
    ),
    Task(
        name="paginated_sales", title="Revenue by region over 4 pages of orders",
        kind="data-heavy",
        question=("What was the paid revenue by region in 2025-Q2 (leave out refunded orders), "
                  "and which region was highest?"),
        tool_calling=sales_tool_calling, script=SALES_SCRIPT, answer=sales_answer,
        expected=sales_expected, make_tools=sales_tools,
    ),
    Task(
        name="single_lookup", title="One direct lookup (control)", kind="control",
        question="Where is order A-1042? Give its status, carrier and ETA.",
        tool_calling=lookup_tool_calling, script=LOOKUP_SCRIPT, answer=lookup_answer,
        expected=lookup_expected, make_tools=lookup_tools,
    ),
]

TASKS_BY_NAME = {t.name: t for t in TASKS}
