/** Where a URL points, checked against the SSRF rules (DNS included) at create/update and the Test button. */
export interface WebhookTargetCheck {
  check(url: string): Promise<{ ok: true } | { ok: false; reason: string }>;
}

export const WEBHOOK_TARGET_CHECK = Symbol('WEBHOOK_TARGET_CHECK');
