/** One web search hit. */
interface SearchResult {
  title: string;
  url: string;
  /** @default "" */ snippet?: string;
  /** Relevance between 0 and 1. @minimum 0 @maximum 1 */ score: number;
}

interface DailyForecast {
  /** @format date */ date: string;
  high_c: number;
  low_c: number;
  condition: "sunny" | "cloudy" | "rain" | "snow";
  precipitation_mm?: number | null;
}

/** Current weather and a short forecast. */
interface WeatherReport {
  location: string;
  temperature_c: number;
  condition: "sunny" | "cloudy" | "rain" | "snow";
  /** @default [] */ forecast?: DailyForecast[];
}

interface WikipediaSummary {
  title: string;
  summary: string;
  url: string;
}

interface StockQuote {
  symbol: string;
  price: number;
  /** @default "USD" */ currency?: "USD" | "EUR" | "GBP";
}

interface TranslationResult {
  text: string;
  source_language: string;
  confidence: number;
}

/** A news article (its schema title collides with another tool's ``SearchResult``). */
interface SearchResult2 {
  headline: string;
  source: string;
  /** @format date-time */ published: string;
}

interface Attachment {
  /** File name shown to the recipient. */ filename: string;
  content_base64: string;
  /** @default "application/octet-stream" */ mime_type?: string;
}

interface Attendee {
  email: string;
  /** @default false */ optional?: boolean;
}

interface Recurrence {
  frequency: "daily" | "weekly" | "monthly";
  /** @default 1 @minimum 1 */ interval?: number;
  /** @format date */ until?: string | null;
}

interface CalendarEvent {
  id: string;
  title: string;
  /** @format date-time */ start: string;
  /** @format date-time */ end: string;
  /** @default [] */ attendees?: Attendee[];
}

/** A node of a labelled tree. */
interface TreeNode {
  label: string;
  value?: number | null;
  /** @default [] */ children?: TreeNode[];
}

interface FileEntry {
  /** @default "file" */ kind?: "file";
  name: string;
  size: number;
}

interface DirectoryEntry {
  /** @default "directory" */ kind?: "directory";
  name: string;
  /** @default [] */ entries?: (FileEntry | DirectoryEntry)[];
}

interface CircleShape {
  type: "circle";
  /** @exclusiveMinimum 0 */ radius: number;
}

interface RectShape {
  type: "rect";
  width: number;
  height: number;
}

interface AreaReport {
  total: number;
  per_shape: number[];
}

interface Condition {
  field: string;
  op: "=" | "!=" | "<" | "<=" | ">" | ">=" | "in" | "contains";
  value: unknown;
}

/** A condition, or a combination of filters. */
type Filter = Condition | { and: Filter[] } | { or: Filter[] } | { not: Filter };

interface Point {
  x: number;
  y: number;
}

interface Address {
  street: string;
  city: string;
  postal_code: string;
  /** @default "US" */ country?: string;
}

declare const tools: {
  /** Search the web and return the most relevant results. */
  web_search(args: {
    /** The search query. */ query: string;
    /** Maximum number of results to return. @default 5 */ max_results?: number;
    /** The category of the search. @default "general" */ topic?: "general" | "news" | "finance";
    /** Only return results from these domains. */ include_domains?: string[] | null;
  }): Promise<SearchResult[]>;
  /** Run a read-only SQL query and return the rows as objects. */
  sql_query(args: {
    /** A single SELECT statement. Use ? placeholders for parameters. */ query: string;
    /** Name of the database to query. @default "main" */ database?: string;
    /** Values bound to the ? placeholders, in order. */ params?: (string | number | null)[] | null;
  }): Promise<Record<string, unknown>[]>;
  /** Read a text file from the workspace. */
  read_file(args: {
    /** Path relative to the workspace root. */ path: string;
    /** Text encoding of the file. @default "utf-8" */ encoding?: string;
    /** First line to return (1-based, inclusive). */ start_line?: number | null;
    /** Last line to return (inclusive). */ end_line?: number | null;
  }): Promise<string>;
  /** Write text to a file. */
  write_file(args: {
    /** Path relative to the workspace root. */ path: string;
    /** The text to write. */ content: string;
    /** "w" to overwrite, "a" to append. @default "w" */ mode?: "w" | "a";
    /** Create missing parent directories. @default false */ create_dirs?: boolean;
  }): Promise<string>;
  /** Get the current weather and forecast for a location. */
  get_weather(args: {
    /** City name, e.g. "Paris, FR". */ location: string;
    /** Unit system of the response. @default "metric" */ units?: "metric" | "imperial";
    /** Number of forecast days. @default 1 @minimum 1 @maximum 7 */ days?: number;
  }): Promise<WeatherReport>;
  /**
   * Evaluate an arithmetic expression such as "2 * (3 + 4)".
   *
   * Supports + - * / ** and parentheses.
   */
  calculator(args: { expression: string }): Promise<number>;
  /** Look up a topic on Wikipedia and return a short summary. */
  wikipedia(args: {
    /** Article title or search terms. */ query: string;
    /** Wikipedia language edition (ISO 639-1 code). @default "en" */ lang?: string;
    /** Number of sentences in the summary. @default 3 */ sentences?: number;
  }): Promise<WikipediaSummary>;
  /** List the files in a directory. */
  list_directory(args?: {
    /** Directory relative to the workspace root. @default "." */ path?: string;
    /** Also list sub-directories. @default false */ recursive?: boolean;
    /** Only return names matching this glob pattern, e.g. "*.py". */ glob?: string | null;
  }): Promise<string[]>;
  /** Return the current time as an ISO 8601 string (UTC). */
  get_current_time(args?: {}): Promise<string>;
  /** Get the latest stock quote; null when the symbol is unknown. */
  stock_price(args: {
    /** Ticker symbol, e.g. "AAPL". */ symbol: string;
  }): Promise<StockQuote | null>;
  /** Translate text into another language. */
  translate(args: {
    /** The text to translate. */ text: string;
    /** Target language code. */ target: "en" | "fr" | "de" | "es" | "ja";
    /** Source language code; detected when omitted. */
    source?: "en" | "fr" | "de" | "es" | "ja" | null;
  }): Promise<TranslationResult>;
  /** Run Python code in a sandboxed interpreter and return its stdout. */
  python_repl(args: {
    /** The Python source to run. */ code: string;
    /** Seconds before the run is stopped. @default 10.0 */ timeout?: number | null;
  }): Promise<string>;
  /** Attach tags to many records at once; returns how many records changed. */
  bulk_tag(args: {
    /** Records to tag; each needs an "id" key. */ items: Record<string, unknown>[];
    /** Tags to attach. */ tags: string[];
    /** Replace existing tags instead of adding. @default false */ overwrite?: boolean;
  }): Promise<number>;
  /** Fetch a web page and return its readable text. */
  fetch_page(args: { url: string }): Promise<string>;
  /** Search recent news articles. */
  news_search(args: {
    query: string;
    /** @default 7 */ days?: number;
  }): Promise<SearchResult2[]>;
  /** Classify a support ticket. */
  classify_ticket(args: { text: string }): Promise<"bug" | "feature" | "question">;
  /** Send an email on behalf of the user. */
  send_email(args: {
    /** Recipient addresses. @minItems 1 */ to: string[];
    cc?: string[] | null;
    /** @maxLength 200 */ subject: string;
    /** Plain-text body. *\/ must be escaped in JSDoc. */ body: string;
    /** @default "normal" */ priority?: "low" | "normal" | "high";
    /** @default [] */ attachments?: Attachment[];
  }): Promise<Record<string, string>>;
  /** Create a calendar event and invite attendees. */
  create_calendar_event(args: {
    title: string;
    /** Start time (ISO 8601). @format date-time */ start: string;
    /** @format date-time */ end: string;
    /** @default [] */ attendees?: Attendee[];
    recurrence?: Recurrence | null;
    /** @default [10] */ reminders_minutes?: number[];
  }): Promise<CalendarEvent>;
  /** Compute statistics (count, sum, depth) over a labelled tree. */
  summarize_tree(args: {
    root: TreeNode;
    /** @default 10 @minimum 1 @maximum 100 */ max_depth?: number;
  }): Promise<Record<string, number>>;
  /** Upload a directory tree to remote storage; returns the stored tree. */
  upload_tree(args: { destination: string; tree: DirectoryEntry }): Promise<DirectoryEntry>;
  /** Compute the area of each shape and the total. */
  shape_area(args: {
    /** @minItems 1 */ shapes: (CircleShape | RectShape)[];
    /** @default "m" */ unit?: string;
  }): Promise<AreaReport>;
  /** Count the occurrences of each word in a text. */
  word_count(args: {
    text: string;
    /** @default false */ case_sensitive?: boolean;
  }): Promise<Record<string, number>>;
  /**
   * Look up a key in the legacy key-value store.
   * @returns An unknown shape: inspect it at runtime before relying on it.
   */
  legacy_lookup(args: { key: string }): Promise<unknown>;
  /** Convert an address into coordinates. */
  geocode(args: {
    /** Free-form address. */ address: string;
    /** Restrict results to these ISO 3166-1 alpha-2 countries. @maxItems 5 */
    country_codes?: string[];
  }): Promise<{
    /** @minimum -90 @maximum 90 */ lat: number;
    /** @minimum -180 @maximum 180 */ lon: number;
    confidence?: number;
  }>;
  /** Send an HTTP request to an allow-listed API and return the response. */
  http_request(args: {
    method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
    /** @format uri */ url: string;
    /** Extra request headers. */ headers?: Record<string, string>;
    body?: string | Record<string, unknown> | null;
    /** @default 30 @exclusiveMinimum 0 */ timeout?: number;
  }): Promise<{ status: number; headers: Record<string, string>; body: unknown }>;
  /** Add two numbers. @returns An unknown shape: inspect it at runtime before relying on it. */
  get_sum(args: { a: number; b: number }): Promise<unknown>;
  /**
   * Fetches a URL from the internet and optionally extracts its contents as markdown.
   * @returns An unknown shape: inspect it at runtime before relying on it.
   */
  fetch(args: {
    /** URL to fetch @format uri @minLength 1 */ url: string;
    /**
     * Maximum number of characters to return.
     * @default 5000
     * @exclusiveMinimum 0
     * @exclusiveMaximum 1000000
     */
    max_length?: number;
    /** Start the output at this character index. @default 0 @minimum 0 */ start_index?: number;
    /** Get the actual HTML content without simplification. @default false */ raw?: boolean;
  }): Promise<unknown>;
  /**
   * Create a new issue in a GitHub repository.
   * @returns An unknown shape: inspect it at runtime before relying on it.
   */
  create_issue(args: {
    /** Repository owner */ owner: string;
    /** Repository name */ repo: string;
    /** Issue title */ title: string;
    /** Issue body */ body?: string | null;
    labels?: string[] | null;
    assignees?: string[];
    milestone?: number | null;
  }): Promise<unknown>;
  /**
   * Search for GitHub repositories.
   * @returns An unknown shape: inspect it at runtime before relying on it.
   */
  search_repositories(args: {
    /** Search query (see GitHub search syntax) */ query: string;
    /** Page number @default 1 @minimum 1 */ page?: number;
    /** @default 30 @minimum 1 @maximum 100 */ perPage?: number;
  }): Promise<unknown>;
  /**
   * Make line-based edits to a text file. Each edit replaces exact line sequences with new content.
   * Returns a git-style diff showing the changes made.
   * @returns An unknown shape: inspect it at runtime before relying on it.
   */
  edit_file(args: {
    path: string;
    /** @minItems 1 */
    edits: {
      /** Text to search for */ oldText: string;
      /** Text to replace with */ newText: string;
    }[];
    /** Preview changes @default false */ dryRun?: boolean;
  }): Promise<unknown>;
  /**
   * Navigate the browser to a URL.
   * @returns An unknown shape: inspect it at runtime before relying on it.
   */
  puppeteer_navigate(args: {
    /** URL to navigate to */ url: string;
    /** PuppeteerJS LaunchOptions, e.g. { headless: true }. */
    launchOptions?: Record<string, unknown>;
    /** @default false */ allowDangerous?: boolean;
  }): Promise<unknown>;
  /**
   * Create multiple new entities in the knowledge graph.
   * @returns An unknown shape: inspect it at runtime before relying on it.
   */
  create_entities(args: {
    entities: {
      /** The name of the entity */ name: string;
      /** The type of the entity */ entityType: string;
      /** Observation contents associated with the entity */ observations: string[];
    }[];
  }): Promise<unknown>;
  /**
   * Distance in kilometres between two points along roads.
   * @returns An unknown shape: inspect it at runtime before relying on it.
   */
  route_distance(args: {
    /** [latitude, longitude] of the start. @minItems 2 @maxItems 2 */ from: [number, number];
    /** [latitude, longitude] of the destination. */ to: [number, number];
    /** A label followed by any number of [lat, lon] points. */
    waypoints?: [string, ...[number, number][]];
    mode?: "driving";
  }): Promise<unknown>;
  /**
   * Query records with a nested boolean filter.
   * @returns An unknown shape: inspect it at runtime before relying on it.
   */
  query_records(args: {
    collection: string;
    filter?: Filter;
    /** @default 100 @minimum 1 @maximum 1000 */ limit?: number;
    order_by?: string | null;
  }): Promise<unknown>;
  /** Draw points and a bounding box on a chart; returns an image URL. */
  plot_points(args: {
    points: Point[];
    bbox_min?: Point;
    bbox_max?: Point;
    /** @maxLength 80 */ title?: string;
  }): Promise<string>;
  /**
   * Place an order for one or more products.
   * @returns An unknown shape: inspect it at runtime before relying on it.
   */
  create_order(args: {
    customer_id: string;
    /** @minItems 1 */
    items: {
      sku: string;
      /** @minimum 1 */ quantity: number;
    }[];
    shipping_address: Address;
    billing_address?: Address;
    /** @maxLength 500 */ gift_message?: string;
  }): Promise<unknown>;
  /**
   * Find the nearest store to an address.
   * @returns An unknown shape: inspect it at runtime before relying on it.
   */
  locate_store(args: {
    near: { line: string; zip?: string };
    /** @default 10 */ radius_km?: number;
  }): Promise<unknown>;
  /**
   * Set HTTP headers and metadata on an object in storage.
   * @returns An unknown shape: inspect it at runtime before relying on it.
   */
  set_headers(args: {
    object_key: string;
    "content-type"?: string;
    /** API key for the storage bucket. */ "x-api-key"?: string;
    /** @format date-time */ "@timestamp"?: string;
    /** @pattern ^[0-9]{6}$ */ "2fa_code"?: string;
    labels?: {
      /** Keys matching "^[a-z][a-z0-9_-]*$". */
      [key: string]: string;
    };
  }): Promise<unknown>;
  /**
   * Check that the service is reachable.
   * @returns An unknown shape: inspect it at runtime before relying on it.
   */
  ping(args?: {}): Promise<unknown>;
  /**
   * Record an analytics event with arbitrary properties.
   * @returns An unknown shape: inspect it at runtime before relying on it.
   */
  log_event(args?: Record<string, unknown>): Promise<unknown>;
  /**
   * Merge a partial configuration into the current one.
   * @returns An unknown shape: inspect it at runtime before relying on it.
   */
  merge_config(args: {
    config: {
      name: string;
      /** @minimum 1 */ version?: number;
    };
    /** @default "deep" */ strategy?: "deep" | "shallow" | null;
  }): Promise<unknown>;
  /**
   * Add annotations to an image. Boxes are [x, y, width, height] in pixels.
   * @returns An unknown shape: inspect it at runtime before relying on it.
   */
  annotate_image(args: {
    /** @format uri */ image_url: string;
    /** @maxItems 50 */
    annotations: {
      kind: "box";
      box: [number, number, number, number];
      label?: string | null;
      /** @pattern ^#[0-9a-fA-F]{6}$ */ color?: string;
    }[];
  }): Promise<unknown>;
};
