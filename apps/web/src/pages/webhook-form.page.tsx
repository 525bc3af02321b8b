import { type FormEvent, useEffect, useRef, useState } from 'react';
import { ApiError } from '../api/api-client';
import type { FieldError, Webhook, WebhookInput } from '../api/api.types';
import { useApp } from '../app-context';
import { EventPicker } from '../components/event-picker';
import { UrlTestOutcome, useTestSend } from '../components/url-test';
import { href, navigate } from '../router';

const DEFAULT_TEST_EVENT = 'contact.created';
const FORM_FIELDS = ['name', 'description', 'url', 'events'];

/** `events[3]` → `events`. */
const baseField = (field: string): string => field.split(/[[.]/)[0] ?? field;

/**
 * Create (no id) or edit a webhook. API validation errors are shown at their field.
 * `operational`: register the workspace's operational endpoint (the webhook.* events about its webhooks).
 */
export function WebhookFormPage({ id, operational: registering = false }: { id?: string; operational?: boolean }) {
  const { api, categories: harmonyCategories, operationalCategory, announce } = useApp();
  const [original, setOriginal] = useState<Webhook | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [url, setUrl] = useState('');
  const [selected, setSelected] = useState<Set<string>>(new Set());
  /** Kept '*' (every event, also future ones) until the user changes the selection. */
  const [allEvents, setAllEvents] = useState(false);
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [formError, setFormError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const { test, setTest, run: runTestSend } = useTestSend();
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => heading.current?.focus(), []);
  useEffect(() => {
    if (!id) return;
    api.getWebhook(id).then(
      (webhook) => {
        setOriginal(webhook);
        setName(webhook.name);
        setDescription(webhook.description ?? '');
        setUrl(webhook.url);
        setAllEvents(webhook.events === '*');
        setSelected(new Set(webhook.events === '*' ? [] : webhook.events));
      },
      (error: unknown) => setLoadError(error instanceof Error ? error.message : String(error)),
    );
  }, [api, id]);

  const operational = registering || original?.operational === true;
  const categories = operational ? (operationalCategory ? [operationalCategory] : []) : harmonyCategories;
  // A new operational endpoint starts with every operational event selected.
  useEffect(() => {
    if (registering && operationalCategory) setSelected(new Set(operationalCategory.events.map((event) => event.type)));
  }, [registering, operationalCategory]);
  const everyType = categories.flatMap((category) => category.events.map((event) => event.type));
  const shownSelection = allEvents ? new Set(everyType) : selected;
  const testEventType = [...shownSelection][0] ?? DEFAULT_TEST_EVENT;
  const fieldError = (field: string): string | undefined => {
    const matching = errors.filter((error) => error.field === field || error.field.startsWith(`${field}[`) || error.field.startsWith(`${field}.`));
    return matching.length > 0 ? matching.map((error) => error.reason).join('; ') : undefined;
  };
  const otherErrors = errors.filter((error) => !FORM_FIELDS.includes(baseField(error.field)));

  /** Editing a field clears what the API said about it. */
  const edited = (field: string): void => setErrors((current) => current.filter((error) => baseField(error.field) !== field));

  const runTest = (): Promise<void> => {
    const unchanged = original && original.url === url.trim();
    return runTestSend(() => (unchanged ? api.testWebhook(original.id, testEventType) : api.testUrl(url.trim(), testEventType)));
  };

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    setSaving(true);
    setErrors([]);
    setFormError(null);
    const input: WebhookInput = {
      name: name.trim(),
      description: description.trim() === '' ? null : description.trim(),
      url: url.trim(),
      events: allEvents ? '*' : everyType.filter((type) => selected.has(type)),
    };
    try {
      const saved = id ? await api.updateWebhook(id, input) : await api.createWebhook(input);
      announce(id ? `Saved ${saved.name}` : `Created ${saved.name}`);
      navigate({ page: 'detail', id: saved.id });
    } catch (error) {
      setSaving(false);
      if (error instanceof ApiError && error.fieldErrors.length > 0) {
        setErrors(error.fieldErrors);
        announce(`Not saved: ${error.fieldErrors.length} field${error.fieldErrors.length === 1 ? '' : 's'} to fix`);
        // Move focus to the first field that needs fixing.
        const first = baseField(error.fieldErrors[0]?.field ?? '');
        requestAnimationFrame(() => document.getElementById(first === 'events' ? 'events-all' : `webhook-${first}`)?.focus());
      } else {
        setFormError(error instanceof Error ? error.message : String(error));
      }
    }
  };

  if (loadError) return <p role="alert" className="alert">{loadError}</p>;
  if (id && !original) return <p>Loading…</p>;

  return (
    <section aria-labelledby="form-title">
      <p>
        <a href={id ? href({ page: 'detail', id }) : href({ page: 'list' })}>← {id ? 'Back to the webhook' : 'All webhooks'}</a>
      </p>
      <h1 id="form-title" tabIndex={-1} ref={heading}>
        {id ? `Edit ${original?.name ?? 'webhook'}` : operational ? 'Register operational endpoint' : 'Create Webhook'}
      </h1>
      {operational && (
        <p className="muted">
          The workspace's operational endpoint receives signed, retried events about its webhooks: one stopped delivering (410 Gone, five days failing,
          its owner lost access, its URL is no longer allowed), an event gave up after its last attempt, a webhook works again.
        </p>
      )}
      <form className="form" onSubmit={(event) => void submit(event)} noValidate>
        {formError && (
          <p role="alert" className="alert">
            {formError}
          </p>
        )}
        {otherErrors.length > 0 && (
          <ul role="alert" className="alert">
            {otherErrors.map((error) => (
              <li key={`${error.field}:${error.reason}`}>
                {error.field} {error.reason}
              </li>
            ))}
          </ul>
        )}
        <TextField id="webhook-name" label="Name" value={name} onChange={(value) => { setName(value); edited('name'); }} error={fieldError('name')} required maxLength={120} />
        <TextField
          id="webhook-description"
          label="Description"
          hint="Optional: what this webhook is for."
          value={description}
          onChange={(value) => {
            setDescription(value);
            edited('description');
          }}
          error={fieldError('description')}
          multiline
          maxLength={1000}
        />
        <div className="field">
          <label htmlFor="webhook-url">Webhook URL</label>
          <p id="webhook-url-hint" className="hint">
            Where Harmony sends a signed POST for each event. Use HTTPS; a hard-to-guess path adds a layer of protection.
          </p>
          <div className="url-row">
            <input
              id="webhook-url"
              type="url"
              inputMode="url"
              autoComplete="off"
              spellCheck={false}
              required
              maxLength={2048}
              placeholder="https://example.com/webhooks/harmony"
              value={url}
              onChange={(input) => {
                setUrl(input.target.value);
                setTest({ state: 'idle' });
                edited('url');
              }}
              aria-invalid={fieldError('url') ? true : undefined}
              aria-describedby={`webhook-url-hint${fieldError('url') ? ' webhook-url-error' : ''}`}
            />
            <button
              type="button"
              className="button"
              onClick={() => void runTest()}
              disabled={url.trim() === '' || test.state === 'running'}
              aria-describedby="webhook-url-test-hint"
            >
              {test.state === 'running' ? 'Testing…' : 'Test'}
            </button>
          </div>
          <p id="webhook-url-test-hint" className="hint">
            Test sends a signed <code>{testEventType}</code> example to this URL now.
          </p>
          {fieldError('url') && (
            <p id="webhook-url-error" className="field-error">
              {fieldError('url')}
            </p>
          )}
          <div aria-live="polite">
            <UrlTestOutcome test={test} eventType={testEventType} />
          </div>
        </div>
        {allEvents && <p className="hint">This webhook receives every event type, including ones added later. Changing the selection makes it a fixed list.</p>}
        <EventPicker
          categories={categories}
          selected={shownSelection}
          error={fieldError('events')}
          onChange={(next) => {
            setAllEvents(false);
            setSelected(next);
            edited('events');
          }}
        />
        <div className="form-actions">
          <a className="button" href={id ? href({ page: 'detail', id }) : href({ page: 'list' })}>
            Cancel
          </a>
          <button type="submit" className="button primary" disabled={saving}>
            {saving ? 'Saving…' : id ? 'Save changes' : operational ? 'Register endpoint' : 'Create Webhook'}
          </button>
        </div>
      </form>
    </section>
  );
}

interface TextFieldProps {
  id: string;
  label: string;
  value: string;
  hint?: string;
  error?: string;
  required?: boolean;
  multiline?: boolean;
  maxLength?: number;
  onChange(value: string): void;
}

function TextField({ id, label, value, hint, error, required, multiline, maxLength, onChange }: TextFieldProps) {
  const describedBy = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  const common = {
    id,
    value,
    required,
    maxLength,
    'aria-invalid': error ? true : undefined,
    'aria-describedby': describedBy,
  };
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {hint && (
        <p id={`${id}-hint`} className="hint">
          {hint}
        </p>
      )}
      {multiline ? (
        <textarea {...common} rows={2} onChange={(input) => onChange(input.target.value)} />
      ) : (
        <input {...common} type="text" autoComplete="off" onChange={(input) => onChange(input.target.value)} />
      )}
      {error && (
        <p id={`${id}-error`} className="field-error">
          {error}
        </p>
      )}
    </div>
  );
}
