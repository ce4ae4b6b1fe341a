import { z } from 'zod';

export const Role = z.enum(['customer', 'admin']);
export type Role = z.infer<typeof Role>;
export const AccountStatus = z.enum(['active', 'disabled']);
export type AccountStatus = z.infer<typeof AccountStatus>;

const Email = z.string().trim().max(254).pipe(z.email()).meta({ format: 'email' });
const Password = z.string().min(8, 'must be at least 8 characters').max(128, 'must be at most 128 characters');

export const RegisterRequest = z.object({
  email: Email,
  password: Password,
  name: z.string().trim().min(1, 'must not be empty').max(200),
});
export type RegisterRequest = z.infer<typeof RegisterRequest>;

export const LoginRequest = z.object({ email: z.string().max(254), password: z.string().max(1024) });
export type LoginRequest = z.infer<typeof LoginRequest>;

/** What a user sees of themself (the public contract). */
export const PublicUser = z.object({ id: z.string(), email: z.string(), name: z.string(), role: Role });
export type PublicUser = z.infer<typeof PublicUser>;

/** What services see: adds the account status the saga checks. */
export const UserRecord = PublicUser.extend({ status: AccountStatus, createdAt: z.string() });
export type UserRecord = z.infer<typeof UserRecord>;

export const TokenResponse = z.object({
  accessToken: z.string(),
  tokenType: z.literal('Bearer'),
  expiresIn: z.number().int().positive(),
});
export type TokenResponse = z.infer<typeof TokenResponse>;

export const SetStatusRequest = z.object({ status: AccountStatus });

/** Claims the users service puts in an access token (besides iss, aud, exp, iat). */
export interface AccessClaims {
  sub: string;
  role: Role;
}

export const TOKEN_ISSUER_DEFAULT = 'durable-shop-users';
export const TOKEN_AUDIENCE_DEFAULT = 'durable-shop-api';
