import { api, ApiError, type Me } from './api.js';
import { createStore } from './store.js';

export interface Session {
  token: string;
  me: Me;
}

export const session = createStore<Session | null>(null, 'durable-shop.session');

export async function signIn(email: string, password: string): Promise<Me> {
  const { accessToken } = await api.login({ email, password });
  const me = await api.me(accessToken);
  session.set({ token: accessToken, me });
  return me;
}

export function signOut(): void {
  session.set(null);
}

/** Runs a signed-in call; an expired or revoked token signs the person out. */
export async function withToken<T>(run: (token: string) => Promise<T>): Promise<T> {
  const current = session.get();
  if (!current) throw new ApiError(401, 'UNAUTHENTICATED', 'Sign in first.');
  try {
    return await run(current.token);
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      signOut();
      throw new ApiError(401, 'UNAUTHENTICATED', 'Your session has ended: sign in again.');
    }
    throw error;
  }
}
