import type { Role } from '../contracts/users.js';
import type { Logger } from '../lib/logger.js';

/** Who is calling, as proven by a verified access token. */
export interface Caller {
  sub: string;
  role: Role;
}

export type GatewayEnv = {
  Variables: {
    requestId: string;
    log: Logger;
    caller: Caller;
  };
};
