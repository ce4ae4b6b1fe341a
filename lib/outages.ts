import {
  MongoNetworkError,
  MongoNotConnectedError,
  MongoServerSelectionError,
  MongoTopologyClosedError,
} from 'mongodb';

/** The MongoDB-protocol server could not be reached (a retry may succeed), as opposed to a refused operation. */
export function isMongoOutage(error: unknown): boolean {
  return (
    error instanceof MongoNetworkError ||
    error instanceof MongoServerSelectionError ||
    error instanceof MongoNotConnectedError ||
    error instanceof MongoTopologyClosedError
  );
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH']);
// postgres.js connection errors, and PostgreSQL's connection-exception / shutting-down / overloaded codes.
const POSTGRES_CODES = new Set(['CONNECT_TIMEOUT', 'CONNECTION_CLOSED', 'CONNECTION_ENDED', 'CONNECTION_DESTROYED']);
const SQLSTATE_OUTAGE = /^(08|57P0[1-3]|53300)/;

/** PostgreSQL could not be reached or is shutting down; drizzle wraps the driver's error in `cause`. */
export function isPostgresOutage(error: unknown): boolean {
  for (let current = error; current instanceof Error; current = current.cause) {
    const code = (current as { code?: unknown }).code;
    if (typeof code !== 'string') continue;
    if (NETWORK_CODES.has(code) || POSTGRES_CODES.has(code) || SQLSTATE_OUTAGE.test(code)) return true;
  }
  return false;
}
