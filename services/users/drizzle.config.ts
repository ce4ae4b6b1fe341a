import { defineConfig } from 'drizzle-kit';

// Run from the repository root: npx drizzle-kit generate --config services/users/drizzle.config.ts
export default defineConfig({
  dialect: 'postgresql',
  schema: './services/users/schema.ts',
  out: './services/users/drizzle',
});
