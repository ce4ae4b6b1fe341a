import postgres from 'postgres';

export function databaseUrl(baseUrl: string, name: string): string {
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

function databaseName(url: string): string {
  return decodeURIComponent(new URL(url).pathname.slice(1));
}

/** Drops whole databases (closing their connections); used by `--fresh` and test teardown. */
export async function dropDatabases(adminUrl: string, urlsOrNames: string[]): Promise<void> {
  const sql = postgres(databaseUrl(adminUrl, 'postgres'), { max: 1, onnotice: () => {} });
  try {
    for (const item of urlsOrNames) {
      const name = item.includes('://') ? databaseName(item) : item;
      if (!/^[A-Za-z0-9_]+$/.test(name)) throw new Error(`Unsupported database name: ${name}`);
      await sql.unsafe(`drop database if exists "${name}" with (force)`);
    }
  } finally {
    await sql.end({ timeout: 5 });
  }
}

export async function databasesWithPrefix(adminUrl: string, prefix: string): Promise<string[]> {
  const sql = postgres(databaseUrl(adminUrl, 'postgres'), { max: 1, onnotice: () => {} });
  try {
    const rows = await sql<{ datname: string }[]>`select datname from pg_database where datname like ${`${prefix}%`}`;
    return rows.map((r) => r.datname);
  } finally {
    await sql.end({ timeout: 5 });
  }
}
