import { defineConfig } from 'drizzle-kit';

// Run from the repository root: npx drizzle-kit generate --config services/orders/drizzle.config.ts
export default defineConfig({
  dialect: 'postgresql',
  schema: './services/orders/schema.ts',
  out: './services/orders/drizzle',
});
