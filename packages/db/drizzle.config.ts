import { defineConfig } from 'drizzle-kit';

// `npm run generate -w @bgr/db` writes SQL migrations to ./drizzle; they are committed and
// applied by every entry point when it opens the database (src/client.ts).
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/schema.ts',
  out: './drizzle',
});
