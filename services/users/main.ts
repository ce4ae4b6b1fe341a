import { drizzle } from 'drizzle-orm/postgres-js';
import { createPostgresClient, preparedStatements } from '../../lib/pg.js';
import { startHttpServer } from '../../lib/http-server.js';
import { createMetrics } from '../../lib/metrics.js';
import { startPreparing } from '../../lib/preparation.js';
import { runMain } from '../../lib/run-main.js';
import { createUsersApp } from './app.js';
import { UsersConfig } from './config.js';
import { loadSigningKeys } from './keys.js';
import { migrate } from './migrations.js';
import { limitPasswordWork } from './password-capacity.js';
import { createPasswordHasher } from './passwords.js';
import { seedAdmin } from './seed-admin.js';
import { createUserStore } from './store.js';
import { createTokenIssuer } from './tokens.js';

await runMain({
  name: 'users',
  config: UsersConfig,
  env: process.env,
  async start({ config, logger, onStop, stopping }) {
    const sql = createPostgresClient(config.USERS_DATABASE_URL, { max: 10 }, logger);
    onStop(() => sql.end({ timeout: 5 }));
    const store = createUserStore(drizzle(preparedStatements(sql)));
    const passwords = limitPasswordWork(await createPasswordHasher(), {
      concurrent: config.PASSWORD_HASHING_CONCURRENCY,
      queued: config.PASSWORD_HASHING_QUEUE,
      maxWaitMs: config.PASSWORD_HASHING_MAX_WAIT_MS,
    });
    const keys = await loadSigningKeys({ privateKeysJson: config.JWT_PRIVATE_KEYS, dataDir: config.DATA_DIR });
    const tokens = createTokenIssuer({
      keys,
      issuer: config.JWT_ISSUER,
      audience: config.JWT_AUDIENCE,
      ttlSeconds: config.ACCESS_TOKEN_TTL_SECONDS,
    });
    // PostgreSQL down at start: serve 503 (not ready) and keep trying, never exit.
    const database = await startPreparing({
      what: 'migrating the users database',
      dependency: 'postgres',
      prepare: async () => {
        await migrate(config.USERS_DATABASE_URL);
        if (config.ADMIN_EMAIL && config.ADMIN_PASSWORD) {
          await seedAdmin({ store, passwords, logger }, { email: config.ADMIN_EMAIL, password: config.ADMIN_PASSWORD });
        }
      },
      logger,
      signal: stopping,
    });

    const app = createUsersApp({
      logger,
      metrics: createMetrics('users'),
      serviceToken: config.SERVICE_TOKEN,
      store,
      passwords,
      tokens,
    });
    const server = await startHttpServer(database.gate(app), config.USERS_PORT, config.USERS_HOST);
    onStop(() => server.close());
    logger.info(
      { url: server.url, signingKid: keys.signing.kid, publishedKids: keys.publicJwks.map((k) => k.kid) },
      'users service listening',
    );
  },
});
