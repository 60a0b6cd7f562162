// Before any result
interface Weather {
  city: string;
  celsius: number;
}

declare const tools: {
  /**
   * An order, as JSON text.
   * @returns The text; text that is a JSON object or array arrives parsed.
   */
  get_order(args: { order_id: string }): Promise<string | Record<string, unknown> | unknown[]>;
  /** Visits per day. */
  visits(args: { days: number }): Promise<Record<string, unknown>>;
  /**
   * Recent events (no return annotation).
   * @returns An unknown shape: inspect it at runtime before relying on it.
   */
  recent(args: { limit: number }): Promise<unknown>;
  /** Declared: never learned. */
  weather(args: { city: string }): Promise<Weather>;
  /** A list of anything. */
  status(args?: {}): Promise<unknown[]>;
};

// After the results of LEARNING_SCRIPT
interface Weather {
  city: string;
  celsius: number;
}

declare const tools: {
  /** An order, as JSON text. @returns Result type learned from 2 results; may be incomplete. */
  get_order(args: { order_id: string }): Promise<{
    id: string;
    total: number;
    items: { sku: string; qty: number }[];
    note?: null;
    coupon?: string;
  }>;
  /** Visits per day. @returns Result type learned from 1 result; may be incomplete. */
  visits(args: { days: number }): Promise<Record<string, { visits: number }>>;
  /**
   * Recent events (no return annotation).
   * @returns Result type learned from 1 result; may be incomplete.
   */
  recent(args: { limit: number }): Promise<{ kind: string; at: string | null }[]>;
  /** Declared: never learned. */
  weather(args: { city: string }): Promise<Weather>;
  /** A list of anything. @returns Result type learned from 1 result; may be incomplete. */
  status(args?: {}): Promise<(string | number)[]>;
};
