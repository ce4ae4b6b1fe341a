/** Values every test shares: one name each, imported rather than retyped. */
export const TEST_SERVICE_TOKEN = 'test-service-token-0123456789';
