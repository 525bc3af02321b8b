/**
 * The environment that lets webhooks reach receivers on this machine (over http
 * too). The platform allows no private range by default; tests with loopback
 * receivers opt in, like `npm start` does.
 */
export const LOOPBACK_RECEIVERS_ENV = { WEBHOOK_ALLOW_PRIVATE_CIDRS: '127.0.0.0/8,::1/128' } as const;
