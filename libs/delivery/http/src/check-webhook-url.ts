import { SsrfPolicy, type UrlRefusalCode } from '@harmony/webhooks/domain';
import { type HostResolver, resolveChecked, SsrfRefusedError, systemResolver } from './guarded-lookup';

export interface CheckWebhookUrlOptions {
  allowHttp: boolean;
  allowPrivateCidrs: readonly string[];
  /** DNS; defaults to the system resolver. */
  resolve?: HostResolver;
  /** How long to wait for DNS before giving the URL the benefit of the doubt (default 5 s). */
  resolveTimeoutMs?: number;
}

export type WebhookUrlCheck =
  | {
      ok: true;
      /** Whether the host name resolved (and every address passed); `false` when DNS had no answer. */
      resolved: boolean;
    }
  | { ok: false; reason: string; code: UrlRefusalCode };

/**
 * Validation for creating or editing a webhook (and the Test button): the URL
 * rules, then the addresses its host name resolves to, all of which must be
 * allowed. A name that does not resolve (yet) is accepted: DNS may be set up
 * after the webhook, and every delivery checks the addresses again before it
 * connects — this check is for the user's feedback, not the guard itself.
 */
export async function checkWebhookUrl(url: string, options: CheckWebhookUrlOptions): Promise<WebhookUrlCheck> {
  const policy = new SsrfPolicy({ allowHttp: options.allowHttp, allowPrivateCidrs: options.allowPrivateCidrs });
  const verdict = policy.checkUrl(url);
  if (!verdict.ok) return { ok: false, reason: verdict.reason, code: verdict.code };
  if (verdict.target.literalAddress !== null) return { ok: true, resolved: true };

  const resolve = options.resolve ?? systemResolver;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((settle) => {
    timer = setTimeout(() => settle('timeout'), options.resolveTimeoutMs ?? 5_000);
  });
  try {
    const outcome = await Promise.race([resolveChecked(verdict.target.hostname, verdict.target.addresses, resolve), timeout]);
    return { ok: true, resolved: outcome !== 'timeout' };
  } catch (error) {
    if (error instanceof SsrfRefusedError) {
      // An http URL whose name resolves to a public address: the scheme is what is wrong.
      if (error.refused.reason === 'plain-http') return { ok: false, reason: policy.httpsRequired(), code: 'scheme_not_allowed' };
      return { ok: false, reason: error.message, code: 'address_refused' };
    }
    return { ok: true, resolved: false };
  } finally {
    clearTimeout(timer);
  }
}
