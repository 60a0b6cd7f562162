"""TypeScript support: turning model-written TypeScript into JavaScript for V8."""
