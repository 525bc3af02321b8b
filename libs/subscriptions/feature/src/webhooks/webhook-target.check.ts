import { WEBHOOK_URL } from '@harmony/contracts';
import type { AppConfig } from '@harmony/platform-config';
import { SsrfPolicy } from '@harmony/webhooks/domain';
import { checkWebhookUrl, type HostResolver } from '@harmony/delivery/http';

/** Where a URL points, checked against the SSRF rules (DNS included) at create/update and the Test button. */
export interface WebhookTargetCheck {
  check(url: string): Promise<{ ok: true } | { ok: false; reason: string }>;
  /** What the current policy says of a saved URL as written (no DNS): null when allowed. Shown as `urlProblem`. */
  problem(url: string): string | null;
}

export const WEBHOOK_TARGET_CHECK = Symbol('WEBHOOK_TARGET_CHECK');

/** The delivery worker's own rules, so a URL saved here is one the worker will send to. */
export function ssrfTargetCheck(config: AppConfig, resolve?: HostResolver): WebhookTargetCheck {
  const policy = new SsrfPolicy({ allowHttp: config.webhooks.allowHttp, allowPrivateCidrs: config.webhooks.allowPrivateCidrs });
  return {
    problem: (url) => {
      const verdict = policy.checkUrl(url);
      return verdict.ok ? null : verdict.reason;
    },
    check: async (url) => {
      const verdict = await checkWebhookUrl(url, { allowHttp: config.webhooks.allowHttp, allowPrivateCidrs: config.webhooks.allowPrivateCidrs, resolve });
      return verdict.ok ? { ok: true } : { ok: false, reason: verdict.reason };
    },
  };
}

/** The contract's URL field with this check after its own rules (a URL was given): the refusal is the field's reason. */
export function checkedWebhookUrl(targets: WebhookTargetCheck) {
  return WEBHOOK_URL.superRefine(async (url, context) => {
    const verdict = await targets.check(url);
    if (!verdict.ok) context.addIssue({ code: 'custom', message: verdict.reason });
  });
}
