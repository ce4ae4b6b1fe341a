/** Stable machine codes carried in every problem+json body (RFC 9457 `code` member). */
export const ErrorCode = {
  VALIDATION_FAILED: 'VALIDATION_FAILED',
  MALFORMED_JSON: 'MALFORMED_JSON',
  NOT_FOUND: 'NOT_FOUND',
  METHOD_NOT_ALLOWED: 'METHOD_NOT_ALLOWED',
  UNAUTHORIZED: 'UNAUTHORIZED',
  FORBIDDEN: 'FORBIDDEN',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  UNSUPPORTED_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  RATE_LIMITED: 'RATE_LIMITED',
  INTERNAL: 'INTERNAL',
  SERVICE_UNAVAILABLE: 'SERVICE_UNAVAILABLE',
  OVERLOADED: 'OVERLOADED',
  EMAIL_TAKEN: 'EMAIL_TAKEN',
  INVALID_CREDENTIALS: 'INVALID_CREDENTIALS',
  SKU_TAKEN: 'SKU_TAKEN',
  PRECONDITION_FAILED: 'PRECONDITION_FAILED',
  PRODUCT_NOT_FOUND: 'PRODUCT_NOT_FOUND',
  OUT_OF_STOCK: 'OUT_OF_STOCK',
  RESERVATION_RELEASED: 'RESERVATION_RELEASED',
  RESERVATION_COMMITTED: 'RESERVATION_COMMITTED',
  RESERVATION_NOT_HELD: 'RESERVATION_NOT_HELD',
  ORDER_CONFLICT: 'ORDER_CONFLICT',
  ILLEGAL_TRANSITION: 'ILLEGAL_TRANSITION',
  NOT_CANCELLABLE: 'NOT_CANCELLABLE',
  IDEMPOTENCY_KEY_REUSED: 'IDEMPOTENCY_KEY_REUSED',
  PAYMENT_DECLINED: 'PAYMENT_DECLINED',
  PAYMENT_PROVIDER_UNAVAILABLE: 'PAYMENT_PROVIDER_UNAVAILABLE',
  PAYMENT_CONFLICT: 'PAYMENT_CONFLICT',
  AMOUNT_MISMATCH: 'AMOUNT_MISMATCH',
  CUSTOMER_INACTIVE: 'CUSTOMER_INACTIVE',
  PAYLOAD_UNDECODABLE: 'PAYLOAD_UNDECODABLE',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export interface ValidationIssue {
  path: string;
  message: string;
}

/** RFC 9457 problem details as this project sends them. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  errors?: ValidationIssue[];
  [extension: string]: unknown;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export function problemType(code: string): string {
  return `urn:durable-shop:problem:${code.toLowerCase().replaceAll('_', '-')}`;
}
