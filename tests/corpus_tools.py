"""A corpus of realistic LangChain tools for the declaration snapshot and tsc tests.

``CORPUS`` mixes ``@tool`` functions with rich signatures, pydantic ``args_schema`` models
(nested, enums, unions, recursion), ``StructuredTool``\\ s built from raw JSON Schemas,
MCP-style schemas, ``BaseTool`` subclasses, and output types from return annotations. The
tools are never run; only their schemas matter.
"""

# Optional[...] / Union[...] are deliberate: real tools are written that way.
# ruff: noqa: UP007, UP045

from __future__ import annotations

import datetime
import enum
import re
from dataclasses import dataclass
from typing import Annotated, Any, Literal, Optional, Union

from langchain_core.tools import BaseTool, InjectedToolArg, StructuredTool, tool
from pydantic import BaseModel, ConfigDict, Field
from typing_extensions import TypedDict

from langchain_codemode.typescript.declarations import ToolSignature
from langchain_codemode.typescript.output_types import output_schema_for_tool

__all__ = ["CORPUS", "input_schema_of", "js_identifier", "signature_of", "signatures"]


# --------------------------------------------------------------------------------------------
# Shared models
# --------------------------------------------------------------------------------------------


class SearchResult(BaseModel):
    """One web search hit."""

    title: str
    url: str
    snippet: str = ""
    score: float = Field(ge=0, le=1, description="Relevance between 0 and 1.")


class Condition(str, enum.Enum):
    SUNNY = "sunny"
    CLOUDY = "cloudy"
    RAIN = "rain"
    SNOW = "snow"


class DailyForecast(BaseModel):
    date: datetime.date
    high_c: float
    low_c: float
    condition: Condition
    precipitation_mm: Optional[float] = None


class WeatherReport(BaseModel):
    """Current weather and a short forecast."""

    location: str
    temperature_c: float
    condition: Condition
    forecast: list[DailyForecast] = []


class WikipediaSummary(TypedDict):
    title: str
    summary: str
    url: str


@dataclass
class TranslationResult:
    text: str
    source_language: str
    confidence: float


class StockQuote(BaseModel):
    symbol: str
    price: float
    currency: Literal["USD", "EUR", "GBP"] = "USD"


# --------------------------------------------------------------------------------------------
# @tool functions
# --------------------------------------------------------------------------------------------


@tool(parse_docstring=True)
def web_search(
    query: str,
    max_results: int = 5,
    topic: Literal["general", "news", "finance"] = "general",
    include_domains: Optional[list[str]] = None,
) -> list[SearchResult]:
    """Search the web and return the most relevant results.

    Args:
        query: The search query.
        max_results: Maximum number of results to return.
        topic: The category of the search.
        include_domains: Only return results from these domains.
    """
    return []


@tool(parse_docstring=True)
def sql_query(
    query: str,
    database: str = "main",
    params: Optional[list[Union[str, int, float, None]]] = None,
) -> list[dict[str, Any]]:
    """Run a read-only SQL query and return the rows as objects.

    Args:
        query: A single SELECT statement. Use ? placeholders for parameters.
        database: Name of the database to query.
        params: Values bound to the ? placeholders, in order.
    """
    return []


@tool(parse_docstring=True)
def read_file(
    path: str,
    encoding: str = "utf-8",
    start_line: Optional[int] = None,
    end_line: Optional[int] = None,
) -> str:
    """Read a text file from the workspace.

    Args:
        path: Path relative to the workspace root.
        encoding: Text encoding of the file.
        start_line: First line to return (1-based, inclusive).
        end_line: Last line to return (inclusive).
    """
    return ""


@tool(parse_docstring=True)
def write_file(
    path: str, content: str, mode: Literal["w", "a"] = "w", create_dirs: bool = False
) -> str:
    """Write text to a file.

    Args:
        path: Path relative to the workspace root.
        content: The text to write.
        mode: "w" to overwrite, "a" to append.
        create_dirs: Create missing parent directories.
    """
    return "ok"


@tool(parse_docstring=True)
def get_weather(
    location: str,
    units: Literal["metric", "imperial"] = "metric",
    days: Annotated[int, Field(ge=1, le=7)] = 1,
) -> WeatherReport:
    """Get the current weather and forecast for a location.

    Args:
        location: City name, e.g. "Paris, FR".
        units: Unit system of the response.
        days: Number of forecast days.
    """
    raise NotImplementedError


@tool
def calculator(expression: str) -> float:
    """Evaluate an arithmetic expression such as "2 * (3 + 4)".

    Supports + - * / ** and parentheses.
    """
    return 0.0


@tool(parse_docstring=True)
def wikipedia(query: str, lang: str = "en", sentences: int = 3) -> WikipediaSummary:
    """Look up a topic on Wikipedia and return a short summary.

    Args:
        query: Article title or search terms.
        lang: Wikipedia language edition (ISO 639-1 code).
        sentences: Number of sentences in the summary.
    """
    raise NotImplementedError


@tool(parse_docstring=True)
def list_directory(
    path: str = ".", recursive: bool = False, glob: Optional[str] = None
) -> list[str]:
    """List the files in a directory.

    Args:
        path: Directory relative to the workspace root.
        recursive: Also list sub-directories.
        glob: Only return names matching this glob pattern, e.g. "*.py".
    """
    return []


@tool
def get_current_time() -> str:
    """Return the current time as an ISO 8601 string (UTC)."""
    return ""


@tool(parse_docstring=True)
def stock_price(symbol: str, user_id: Annotated[str, InjectedToolArg] = "") -> Optional[StockQuote]:
    """Get the latest stock quote; null when the symbol is unknown.

    Args:
        symbol: Ticker symbol, e.g. "AAPL".
        user_id: Injected by the runtime; never shown to the model.
    """
    return None


@tool(parse_docstring=True)
def translate(
    text: str,
    target: Literal["en", "fr", "de", "es", "ja"],
    source: Optional[Literal["en", "fr", "de", "es", "ja"]] = None,
) -> TranslationResult:
    """Translate text into another language.

    Args:
        text: The text to translate.
        target: Target language code.
        source: Source language code; detected when omitted.
    """
    raise NotImplementedError


@tool(parse_docstring=True)
def python_repl(code: str, timeout: float | None = 10.0) -> str:
    """Run Python code in a sandboxed interpreter and return its stdout.

    Args:
        code: The Python source to run.
        timeout: Seconds before the run is stopped.
    """
    return ""


@tool(parse_docstring=True)
def bulk_tag(items: list[dict[str, Any]], tags: list[str], overwrite: bool = False) -> int:
    """Attach tags to many records at once; returns how many records changed.

    Args:
        items: Records to tag; each needs an "id" key.
        tags: Tags to attach.
        overwrite: Replace existing tags instead of adding.
    """
    return 0


@tool(response_format="content_and_artifact")
def fetch_page(url: str) -> tuple[str, dict[str, Any]]:
    """Fetch a web page and return its readable text."""
    return "", {}


class NewsSearchResult(BaseModel):
    """A news article (its schema title collides with another tool's ``SearchResult``)."""

    model_config = ConfigDict(title="SearchResult")

    headline: str
    source: str
    published: datetime.datetime


@tool
def news_search(query: str, days: int = 7) -> list[NewsSearchResult]:
    """Search recent news articles."""
    return []


@tool
def classify_ticket(text: str) -> Literal["bug", "feature", "question"]:
    """Classify a support ticket."""
    return "bug"


# --------------------------------------------------------------------------------------------
# Pydantic args_schema tools
# --------------------------------------------------------------------------------------------


class Priority(str, enum.Enum):
    LOW = "low"
    NORMAL = "normal"
    HIGH = "high"


class Attachment(BaseModel):
    filename: str = Field(description="File name shown to the recipient.")
    content_base64: str
    mime_type: str = "application/octet-stream"


class SendEmailInput(BaseModel):
    to: list[str] = Field(min_length=1, description="Recipient addresses.")
    cc: Optional[list[str]] = None
    subject: str = Field(max_length=200)
    body: str = Field(description="Plain-text body. */ must be escaped in JSDoc.")
    priority: Priority = Priority.NORMAL
    attachments: list[Attachment] = []


def _send_email(**kwargs: Any) -> dict[str, str]:
    return {}


send_email = StructuredTool.from_function(
    func=_send_email,
    name="send_email",
    description="Send an email on behalf of the user.",
    args_schema=SendEmailInput,
)


class Attendee(BaseModel):
    email: str
    optional: bool = False


class Recurrence(BaseModel):
    frequency: Literal["daily", "weekly", "monthly"]
    interval: int = Field(1, ge=1)
    until: Optional[datetime.date] = None


class CalendarEvent(BaseModel):
    id: str
    title: str
    start: datetime.datetime
    end: datetime.datetime
    attendees: list[Attendee] = []


class CreateEventInput(BaseModel):
    title: str
    start: datetime.datetime = Field(description="Start time (ISO 8601).")
    end: datetime.datetime
    attendees: list[Attendee] = []
    recurrence: Optional[Recurrence] = None
    reminders_minutes: list[int] = [10]


def _create_event(**kwargs: Any) -> CalendarEvent:
    raise NotImplementedError


create_calendar_event = StructuredTool.from_function(
    func=_create_event,
    name="create_calendar_event",
    description="Create a calendar event and invite attendees.",
    args_schema=CreateEventInput,
)


class TreeNode(BaseModel):
    """A node of a labelled tree."""

    label: str
    value: Optional[float] = None
    children: list[TreeNode] = []


class SummarizeTreeInput(BaseModel):
    root: TreeNode
    max_depth: int = Field(10, ge=1, le=100)


def _summarize_tree(root: TreeNode, max_depth: int = 10) -> dict[str, float]:
    return {}


summarize_tree = StructuredTool.from_function(
    func=_summarize_tree,
    name="summarize_tree",
    description="Compute statistics (count, sum, depth) over a labelled tree.",
    args_schema=SummarizeTreeInput,
)


class FileEntry(BaseModel):
    kind: Literal["file"] = "file"
    name: str
    size: int


class DirectoryEntry(BaseModel):
    kind: Literal["directory"] = "directory"
    name: str
    entries: list[Annotated[Union[FileEntry, DirectoryEntry], Field(discriminator="kind")]] = []


class UploadTreeInput(BaseModel):
    destination: str
    tree: DirectoryEntry


def _upload_tree(destination: str, tree: DirectoryEntry) -> DirectoryEntry:
    return tree


upload_tree = StructuredTool.from_function(
    func=_upload_tree,
    name="upload_tree",
    description="Upload a directory tree to remote storage; returns the stored tree.",
    args_schema=UploadTreeInput,
)


class CircleShape(BaseModel):
    type: Literal["circle"]
    radius: float = Field(gt=0)


class RectShape(BaseModel):
    type: Literal["rect"]
    width: float
    height: float


class AreaInput(BaseModel):
    shapes: list[Union[CircleShape, RectShape]] = Field(min_length=1)
    unit: str = "m"


class AreaReport(BaseModel):
    total: float
    per_shape: list[float]


class ShapeAreaTool(BaseTool):
    name: str = "shape_area"
    description: str = "Compute the area of each shape and the total."
    args_schema: type[BaseModel] = AreaInput

    def _run(self, shapes: list[Any], unit: str = "m") -> AreaReport:
        raise NotImplementedError


class WordCountInput(BaseModel):
    text: str
    case_sensitive: bool = False


class WordCountTool(BaseTool):
    name: str = "word_count"
    description: str = "Count the occurrences of each word in a text."
    args_schema: type[BaseModel] = WordCountInput

    def _run(self, text: str, case_sensitive: bool = False) -> dict[str, int]:
        return {}


class LegacyLookupInput(BaseModel):
    key: str


class LegacyLookupTool(BaseTool):
    name: str = "legacy_lookup"
    description: str = "Look up a key in the legacy key-value store."
    args_schema: type[BaseModel] = LegacyLookupInput

    def _run(self, key: str):  # no return annotation on purpose
        return None


# --------------------------------------------------------------------------------------------
# Raw JSON Schema tools (StructuredTool with a dict args_schema)
# --------------------------------------------------------------------------------------------


def _noop(**kwargs: Any) -> Any:
    return None


def _raw(
    name: str,
    description: str,
    schema: dict[str, Any],
    *,
    metadata: dict[str, Any] | None = None,
) -> StructuredTool:
    return StructuredTool.from_function(
        func=_noop, name=name, description=description, args_schema=schema, metadata=metadata
    )


geocode = _raw(
    "geocode",
    "Convert an address into coordinates.",
    {
        "type": "object",
        "properties": {
            "address": {"type": "string", "description": "Free-form address."},
            "country_codes": {
                "type": "array",
                "items": {"type": "string", "pattern": "^[A-Z]{2}$"},
                "maxItems": 5,
                "description": "Restrict results to these ISO 3166-1 alpha-2 countries.",
            },
        },
        "required": ["address"],
    },
    metadata={
        "output_schema": {
            "type": "object",
            "properties": {
                "lat": {"type": "number", "minimum": -90, "maximum": 90},
                "lon": {"type": "number", "minimum": -180, "maximum": 180},
                "confidence": {"type": "number"},
            },
            "required": ["lat", "lon"],
        }
    },
)

http_request = _raw(
    "http_request",
    "Send an HTTP request to an allow-listed API and return the response.",
    {
        "type": "object",
        "properties": {
            "method": {"type": "string", "enum": ["GET", "POST", "PUT", "PATCH", "DELETE"]},
            "url": {"type": "string", "format": "uri"},
            "headers": {
                "type": "object",
                "additionalProperties": {"type": "string"},
                "description": "Extra request headers.",
            },
            "body": {"oneOf": [{"type": "string"}, {"type": "object"}, {"type": "null"}]},
            "timeout": {"type": "number", "exclusiveMinimum": 0, "default": 30},
        },
        "required": ["method", "url"],
        "additionalProperties": False,
    },
    metadata={
        "output_schema": {
            "type": "object",
            "properties": {
                "status": {"type": "integer"},
                "headers": {"type": "object", "additionalProperties": {"type": "string"}},
                "body": {},
            },
            "required": ["status", "headers", "body"],
        }
    },
)

get_sum = _raw(
    "get-sum",
    "Add two numbers.",
    {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "type": "object",
        "properties": {"a": {"type": "number"}, "b": {"type": "number"}},
        "required": ["a", "b"],
        "additionalProperties": False,
    },
)

mcp_fetch = _raw(
    "fetch",
    "Fetches a URL from the internet and optionally extracts its contents as markdown.",
    {
        "description": "Parameters for fetching a URL.",
        "properties": {
            "url": {
                "description": "URL to fetch",
                "format": "uri",
                "minLength": 1,
                "title": "Url",
                "type": "string",
            },
            "max_length": {
                "default": 5000,
                "description": "Maximum number of characters to return.",
                "exclusiveMaximum": 1000000,
                "exclusiveMinimum": 0,
                "title": "Max Length",
                "type": "integer",
            },
            "start_index": {
                "default": 0,
                "description": "Start the output at this character index.",
                "minimum": 0,
                "title": "Start Index",
                "type": "integer",
            },
            "raw": {
                "default": False,
                "description": "Get the actual HTML content without simplification.",
                "title": "Raw",
                "type": "boolean",
            },
        },
        "required": ["url"],
        "title": "Fetch",
        "type": "object",
    },
)

create_issue = _raw(
    "create_issue",
    "Create a new issue in a GitHub repository.",
    {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "type": "object",
        "properties": {
            "owner": {"type": "string", "description": "Repository owner"},
            "repo": {"type": "string", "description": "Repository name"},
            "title": {"type": "string", "description": "Issue title"},
            "body": {"anyOf": [{"type": "string"}, {"type": "null"}], "description": "Issue body"},
            "labels": {"anyOf": [{"type": "array", "items": {"type": "string"}}, {"type": "null"}]},
            "assignees": {"type": "array", "items": {"type": "string"}},
            "milestone": {"anyOf": [{"type": "number"}, {"type": "null"}]},
        },
        "required": ["owner", "repo", "title"],
        "additionalProperties": False,
    },
)

search_repositories = _raw(
    "search_repositories",
    "Search for GitHub repositories.",
    {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "type": "object",
        "properties": {
            "query": {"type": "string", "description": "Search query (see GitHub search syntax)"},
            "page": {"type": "number", "minimum": 1, "description": "Page number", "default": 1},
            "perPage": {"type": "number", "minimum": 1, "maximum": 100, "default": 30},
        },
        "required": ["query"],
    },
)

edit_file = _raw(
    "edit_file",
    "Make line-based edits to a text file. Each edit replaces exact line sequences with new "
    "content. Returns a git-style diff showing the changes made.",
    {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "type": "object",
        "properties": {
            "path": {"type": "string"},
            "edits": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "oldText": {"type": "string", "description": "Text to search for"},
                        "newText": {"type": "string", "description": "Text to replace with"},
                    },
                    "required": ["oldText", "newText"],
                    "additionalProperties": False,
                },
                "minItems": 1,
            },
            "dryRun": {"type": "boolean", "default": False, "description": "Preview changes"},
        },
        "required": ["path", "edits"],
        "additionalProperties": False,
    },
)

browser_navigate = _raw(
    "puppeteer_navigate",
    "Navigate the browser to a URL.",
    {
        "type": "object",
        "properties": {
            "url": {"type": "string", "description": "URL to navigate to"},
            "launchOptions": {
                "type": "object",
                "description": "PuppeteerJS LaunchOptions, e.g. { headless: true }.",
                "additionalProperties": True,
            },
            "allowDangerous": {"type": "boolean", "default": False},
        },
        "required": ["url"],
    },
)

create_entities = _raw(
    "create_entities",
    "Create multiple new entities in the knowledge graph.",
    {
        "type": "object",
        "properties": {
            "entities": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "name": {"type": "string", "description": "The name of the entity"},
                        "entityType": {"type": "string", "description": "The type of the entity"},
                        "observations": {
                            "type": "array",
                            "items": {"type": "string"},
                            "description": "Observation contents associated with the entity",
                        },
                    },
                    "required": ["name", "entityType", "observations"],
                },
            }
        },
        "required": ["entities"],
    },
)

route_distance = _raw(
    "route-distance",
    "Distance in kilometres between two points along roads.",
    {
        "type": "object",
        "properties": {
            "from": {
                "type": "array",
                "prefixItems": [{"type": "number"}, {"type": "number"}],
                "minItems": 2,
                "maxItems": 2,
                "description": "[latitude, longitude] of the start.",
            },
            "to": {
                "type": "array",
                "items": [{"type": "number"}, {"type": "number"}],
                "additionalItems": False,
                "description": "[latitude, longitude] of the destination.",
            },
            "waypoints": {
                "type": "array",
                "prefixItems": [{"type": "string"}],
                "items": {"type": "array", "prefixItems": [{"type": "number"}, {"type": "number"}]},
                "description": "A label followed by any number of [lat, lon] points.",
            },
            "mode": {"const": "driving"},
        },
        "required": ["from", "to"],
    },
)

query_records = _raw(
    "query_records",
    "Query records with a nested boolean filter.",
    {
        "$defs": {
            "Filter": {
                "title": "Filter",
                "description": "A condition, or a combination of filters.",
                "anyOf": [
                    {"$ref": "#/$defs/Condition"},
                    {
                        "type": "object",
                        "properties": {
                            "and": {"type": "array", "items": {"$ref": "#/$defs/Filter"}}
                        },
                        "required": ["and"],
                    },
                    {
                        "type": "object",
                        "properties": {
                            "or": {"type": "array", "items": {"$ref": "#/$defs/Filter"}}
                        },
                        "required": ["or"],
                    },
                    {
                        "type": "object",
                        "properties": {"not": {"$ref": "#/$defs/Filter"}},
                        "required": ["not"],
                    },
                ],
            },
            "Condition": {
                "title": "Condition",
                "type": "object",
                "properties": {
                    "field": {"type": "string"},
                    "op": {"enum": ["=", "!=", "<", "<=", ">", ">=", "in", "contains"]},
                    "value": {},
                },
                "required": ["field", "op", "value"],
            },
        },
        "type": "object",
        "properties": {
            "collection": {"type": "string"},
            "filter": {"$ref": "#/$defs/Filter"},
            "limit": {"type": "integer", "minimum": 1, "maximum": 1000, "default": 100},
            "order_by": {"type": ["string", "null"]},
        },
        "required": ["collection"],
    },
)

plot_points = _raw(
    "plot_points",
    "Draw points and a bounding box on a chart; returns an image URL.",
    {
        "definitions": {
            "Point": {
                "type": "object",
                "properties": {"x": {"type": "number"}, "y": {"type": "number"}},
                "required": ["x", "y"],
            }
        },
        "type": "object",
        "properties": {
            "points": {"type": "array", "items": {"$ref": "#/definitions/Point"}},
            "bbox_min": {"$ref": "#/definitions/Point"},
            "bbox_max": {"$ref": "#/definitions/Point"},
            "title": {"type": "string", "maxLength": 80},
        },
        "required": ["points"],
    },
    metadata={"output_schema": {"type": "string", "format": "uri"}},
)

_address = {
    "title": "Address",
    "type": "object",
    "properties": {
        "street": {"type": "string"},
        "city": {"type": "string"},
        "postal_code": {"type": "string"},
        "country": {"type": "string", "default": "US"},
    },
    "required": ["street", "city", "postal_code"],
}

create_order = _raw(
    "create_order",
    "Place an order for one or more products.",
    {
        "type": "object",
        "properties": {
            "customer_id": {"type": "string"},
            "items": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "sku": {"type": "string"},
                        "quantity": {"type": "integer", "minimum": 1},
                    },
                    "required": ["sku", "quantity"],
                },
                "minItems": 1,
            },
            "shipping_address": _address,
            "billing_address": _address,
            "gift_message": {"type": "string", "maxLength": 500},
        },
        "required": ["customer_id", "items", "shipping_address"],
    },
)

locate_store = _raw(
    "locate_store",
    "Find the nearest store to an address.",
    {
        "type": "object",
        "properties": {
            "near": {
                "title": "Address",
                "type": "object",
                "properties": {"line": {"type": "string"}, "zip": {"type": "string"}},
                "required": ["line"],
            },
            "radius_km": {"type": "number", "default": 10},
        },
        "required": ["near"],
    },
)

set_headers = _raw(
    "set_headers",
    "Set HTTP headers and metadata on an object in storage.",
    {
        "type": "object",
        "properties": {
            "object_key": {"type": "string"},
            "content-type": {"type": "string"},
            "x-api-key": {"type": "string", "description": "API key for the storage bucket."},
            "@timestamp": {"type": "string", "format": "date-time"},
            "2fa_code": {"type": "string", "pattern": "^[0-9]{6}$"},
            "labels": {
                "type": "object",
                "patternProperties": {"^[a-z][a-z0-9_-]*$": {"type": "string"}},
                "additionalProperties": False,
            },
        },
        "required": ["object_key"],
    },
)

ping = _raw("ping", "Check that the service is reachable.", {"type": "object", "properties": {}})

log_event = _raw(
    "log_event",
    "Record an analytics event with arbitrary properties.",
    {"type": "object", "additionalProperties": True},
)

merge_config = _raw(
    "merge_config",
    "Merge a partial configuration into the current one.",
    {
        "type": "object",
        "properties": {
            "config": {
                "allOf": [
                    {
                        "type": "object",
                        "properties": {"name": {"type": "string"}},
                        "required": ["name"],
                    },
                    {
                        "type": "object",
                        "properties": {"version": {"type": "integer", "minimum": 1}},
                    },
                ]
            },
            "strategy": {"enum": ["deep", "shallow", None], "default": "deep"},
        },
        "required": ["config"],
    },
)

annotate_image = _raw(
    "annotate_image",
    "Add annotations to an image. Boxes are [x, y, width, height] in pixels.",
    {
        "type": "object",
        "properties": {
            "image_url": {"type": "string", "format": "uri"},
            "annotations": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "kind": {"const": "box"},
                        "box": {
                            "type": "array",
                            "prefixItems": [
                                {"type": "integer"},
                                {"type": "integer"},
                                {"type": "integer"},
                                {"type": "integer"},
                            ],
                        },
                        "label": {"type": ["string", "null"]},
                        "color": {"type": "string", "pattern": "^#[0-9a-fA-F]{6}$"},
                    },
                    "required": ["kind", "box"],
                },
                "maxItems": 50,
            },
        },
        "required": ["image_url", "annotations"],
    },
)


# --------------------------------------------------------------------------------------------
# The corpus and how the tests turn tools into signatures
# --------------------------------------------------------------------------------------------

CORPUS: list[BaseTool] = [
    web_search,
    sql_query,
    read_file,
    write_file,
    get_weather,
    calculator,
    wikipedia,
    list_directory,
    get_current_time,
    stock_price,
    translate,
    python_repl,
    bulk_tag,
    fetch_page,
    news_search,
    classify_ticket,
    send_email,
    create_calendar_event,
    summarize_tree,
    upload_tree,
    ShapeAreaTool(),
    WordCountTool(),
    LegacyLookupTool(),
    geocode,
    http_request,
    get_sum,
    mcp_fetch,
    create_issue,
    search_repositories,
    edit_file,
    browser_navigate,
    create_entities,
    route_distance,
    query_records,
    plot_points,
    create_order,
    locate_store,
    set_headers,
    ping,
    log_event,
    merge_config,
    annotate_image,
]

_NON_IDENTIFIER = re.compile(r"[^A-Za-z0-9_$]")


def js_identifier(name: str) -> str:
    """Each char outside ``[A-Za-z0-9_$]`` → ``_``; a leading digit gets a ``_`` prefix."""
    ident = _NON_IDENTIFIER.sub("_", name) or "_"
    return "_" + ident if ident[0].isdigit() else ident


def input_schema_of(item: BaseTool) -> dict[str, Any]:
    """The JSON Schema of the arguments the model passes."""
    if isinstance(item.args_schema, dict):
        return item.args_schema
    schema = item.tool_call_schema
    if isinstance(schema, dict):
        return schema
    return schema.model_json_schema()


def signature_of(item: BaseTool) -> ToolSignature:
    return ToolSignature(
        identifier=js_identifier(item.name),
        name=item.name,
        description=item.description,
        input_schema=input_schema_of(item),
        output_schema=output_schema_for_tool(item),
    )


def signatures() -> list[ToolSignature]:
    return [signature_of(t) for t in CORPUS]
