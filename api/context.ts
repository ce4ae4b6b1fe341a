import type { Role } from '../contracts/users.js';
import type { Logger } from '../lib/logger.js';
import type { HttpAppEnv } from '../lib/process-shell.js';

/** Who is calling, as proven by a verified access token. */
export interface Caller {
  sub: string;
  role: Role;
}

/** The gateway's Hono context: the process shell's `requestId` and `log`, plus the verified caller. */
export type GatewayEnv = {
  Variables: HttpAppEnv['Variables'] & {
    caller: Caller;
  };
};

/** What an order operation needs of the request it serves. */
export interface Ctx {
  caller: Caller;
  requestId: string;
  log: Logger;
}
