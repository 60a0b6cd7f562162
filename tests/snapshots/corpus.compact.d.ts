interface SearchResult { title: string; url: string; snippet?: string; score: number }
interface DailyForecast { date: string; high_c: number; low_c: number; condition: "sunny" | "cloudy" | "rain" | "snow"; precipitation_mm?: number | null }
interface WeatherReport { location: string; temperature_c: number; condition: "sunny" | "cloudy" | "rain" | "snow"; forecast?: DailyForecast[] }
interface WikipediaSummary { title: string; summary: string; url: string }
interface StockQuote { symbol: string; price: number; currency?: "USD" | "EUR" | "GBP" }
interface TranslationResult { text: string; source_language: string; confidence: number }
interface SearchResult2 { headline: string; source: string; published: string }
interface Attachment { filename: string; content_base64: string; mime_type?: string }
interface Attendee { email: string; optional?: boolean }
interface Recurrence { frequency: "daily" | "weekly" | "monthly"; interval?: number; until?: string | null }
interface CalendarEvent { id: string; title: string; start: string; end: string; attendees?: Attendee[] }
interface TreeNode { label: string; value?: number | null; children?: TreeNode[] }
interface FileEntry { kind?: "file"; name: string; size: number }
interface DirectoryEntry { kind?: "directory"; name: string; entries?: (FileEntry | DirectoryEntry)[] }
interface CircleShape { type: "circle"; radius: number }
interface RectShape { type: "rect"; width: number; height: number }
interface AreaReport { total: number; per_shape: number[] }
interface Condition { field: string; op: "=" | "!=" | "<" | "<=" | ">" | ">=" | "in" | "contains"; value: unknown }
type Filter = Condition | { and: Filter[] } | { or: Filter[] } | { not: Filter };
interface Point { x: number; y: number }
interface Address { street: string; city: string; postal_code: string; country?: string }

declare const tools: {
  web_search(args: { query: string; max_results?: number; topic?: "general" | "news" | "finance"; include_domains?: string[] | null }): Promise<SearchResult[]>;
  sql_query(args: { query: string; database?: string; params?: (string | number | null)[] | null }): Promise<Record<string, unknown>[]>;
  read_file(args: { path: string; encoding?: string; start_line?: number | null; end_line?: number | null }): Promise<string>;
  write_file(args: { path: string; content: string; mode?: "w" | "a"; create_dirs?: boolean }): Promise<string>;
  get_weather(args: { location: string; units?: "metric" | "imperial"; days?: number }): Promise<WeatherReport>;
  calculator(args: { expression: string }): Promise<number>;
  wikipedia(args: { query: string; lang?: string; sentences?: number }): Promise<WikipediaSummary>;
  list_directory(args?: { path?: string; recursive?: boolean; glob?: string | null }): Promise<string[]>;
  get_current_time(args?: {}): Promise<string>;
  stock_price(args: { symbol: string }): Promise<StockQuote | null>;
  translate(args: { text: string; target: "en" | "fr" | "de" | "es" | "ja"; source?: "en" | "fr" | "de" | "es" | "ja" | null }): Promise<TranslationResult>;
  python_repl(args: { code: string; timeout?: number | null }): Promise<string>;
  bulk_tag(args: { items: Record<string, unknown>[]; tags: string[]; overwrite?: boolean }): Promise<number>;
  fetch_page(args: { url: string }): Promise<string>;
  news_search(args: { query: string; days?: number }): Promise<SearchResult2[]>;
  classify_ticket(args: { text: string }): Promise<"bug" | "feature" | "question">;
  send_email(args: { to: string[]; cc?: string[] | null; subject: string; body: string; priority?: "low" | "normal" | "high"; attachments?: Attachment[] }): Promise<Record<string, string>>;
  create_calendar_event(args: { title: string; start: string; end: string; attendees?: Attendee[]; recurrence?: Recurrence | null; reminders_minutes?: number[] }): Promise<CalendarEvent>;
  summarize_tree(args: { root: TreeNode; max_depth?: number }): Promise<Record<string, number>>;
  upload_tree(args: { destination: string; tree: DirectoryEntry }): Promise<DirectoryEntry>;
  shape_area(args: { shapes: (CircleShape | RectShape)[]; unit?: string }): Promise<AreaReport>;
  word_count(args: { text: string; case_sensitive?: boolean }): Promise<Record<string, number>>;
  legacy_lookup(args: { key: string }): Promise<unknown>;
  geocode(args: { address: string; country_codes?: string[] }): Promise<{ lat: number; lon: number; confidence?: number }>;
  http_request(args: { method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE"; url: string; headers?: Record<string, string>; body?: string | Record<string, unknown> | null; timeout?: number }): Promise<{ status: number; headers: Record<string, string>; body: unknown }>;
  get_sum(args: { a: number; b: number }): Promise<unknown>;
  fetch(args: { url: string; max_length?: number; start_index?: number; raw?: boolean }): Promise<unknown>;
  create_issue(args: { owner: string; repo: string; title: string; body?: string | null; labels?: string[] | null; assignees?: string[]; milestone?: number | null }): Promise<unknown>;
  search_repositories(args: { query: string; page?: number; perPage?: number }): Promise<unknown>;
  edit_file(args: { path: string; edits: { oldText: string; newText: string }[]; dryRun?: boolean }): Promise<unknown>;
  puppeteer_navigate(args: { url: string; launchOptions?: Record<string, unknown>; allowDangerous?: boolean }): Promise<unknown>;
  create_entities(args: { entities: { name: string; entityType: string; observations: string[] }[] }): Promise<unknown>;
  route_distance(args: { from: [number, number]; to: [number, number]; waypoints?: [string, ...[number, number][]]; mode?: "driving" }): Promise<unknown>;
  query_records(args: { collection: string; filter?: Filter; limit?: number; order_by?: string | null }): Promise<unknown>;
  plot_points(args: { points: Point[]; bbox_min?: Point; bbox_max?: Point; title?: string }): Promise<string>;
  create_order(args: { customer_id: string; items: { sku: string; quantity: number }[]; shipping_address: Address; billing_address?: Address; gift_message?: string }): Promise<unknown>;
  locate_store(args: { near: { line: string; zip?: string }; radius_km?: number }): Promise<unknown>;
  set_headers(args: { object_key: string; "content-type"?: string; "x-api-key"?: string; "@timestamp"?: string; "2fa_code"?: string; labels?: { [key: string]: string } }): Promise<unknown>;
  ping(args?: {}): Promise<unknown>;
  log_event(args?: Record<string, unknown>): Promise<unknown>;
  merge_config(args: { config: { name: string; version?: number }; strategy?: "deep" | "shallow" | null }): Promise<unknown>;
  annotate_image(args: { image_url: string; annotations: { kind: "box"; box: [number, number, number, number]; label?: string | null; color?: string }[] }): Promise<unknown>;
};
