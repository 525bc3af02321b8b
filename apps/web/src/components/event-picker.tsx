import { useEffect, useRef } from 'react';
import type { EventCategory } from '../api/api.types';

interface EventPickerProps {
  categories: EventCategory[];
  selected: ReadonlySet<string>;
  error?: string;
  onChange(selected: Set<string>): void;
}

/** "Events to Subscribe To": one fieldset per category, Select All overall and per category. */
export function EventPicker({ categories, selected, error, onChange }: EventPickerProps) {
  const all = categories.flatMap((category) => category.events.map((event) => event.type));
  const setAll = (types: string[], on: boolean): void => {
    const next = new Set(selected);
    for (const type of types) {
      if (on) next.add(type);
      else next.delete(type);
    }
    onChange(next);
  };
  return (
    <fieldset className="events" aria-describedby={error ? 'events-error' : undefined} aria-invalid={error ? true : undefined}>
      <legend>Events to Subscribe To</legend>
      {error && (
        <p id="events-error" className="field-error">
          {error}
        </p>
      )}
      <TriStateCheckbox
        id="events-all"
        label={`Select All (${all.length} events)`}
        checked={all.length > 0 && all.every((type) => selected.has(type))}
        mixed={all.some((type) => selected.has(type)) && !all.every((type) => selected.has(type))}
        onChange={(on) => setAll(all, on)}
        className="select-all"
      />
      {categories.some((category) => category.events.some((event) => event.requiredRole === 'admin')) && (
        <p className="muted small" id="events-admin-note">
          Events marked <span className="badge badge-admin">Admins only</span> reach a webhook only while its owner is a workspace admin.
        </p>
      )}
      <div className="event-categories">
        {categories.map((category) => {
          const types = category.events.map((event) => event.type);
          const count = types.filter((type) => selected.has(type)).length;
          return (
            <fieldset key={category.name} className="event-category">
              <legend>
                {category.label} <span className="muted">({count}/{types.length})</span>
              </legend>
              <TriStateCheckbox
                id={`events-all-${category.name}`}
                label={`Select all ${category.label}`}
                checked={count === types.length}
                mixed={count > 0 && count < types.length}
                onChange={(on) => setAll(types, on)}
              />
              <ul className="event-list">
                {category.events.map((event) => (
                  <li key={event.type}>
                    <label title={event.description}>
                      <input type="checkbox" checked={selected.has(event.type)} onChange={(input) => setAll([event.type], input.target.checked)} />
                      <code>{event.type}</code>
                      {event.requiredRole === 'admin' && (
                        <span className="badge badge-admin" title="Only webhooks owned by a workspace admin receive this event">
                          Admins only
                        </span>
                      )}
                    </label>
                  </li>
                ))}
              </ul>
            </fieldset>
          );
        })}
      </div>
    </fieldset>
  );
}

function TriStateCheckbox(props: { id: string; label: string; checked: boolean; mixed: boolean; className?: string; onChange(on: boolean): void }) {
  const ref = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (ref.current) ref.current.indeterminate = props.mixed;
  }, [props.mixed]);
  return (
    <label className={`checkbox-strong ${props.className ?? ''}`}>
      <input
        ref={ref}
        id={props.id}
        type="checkbox"
        checked={props.checked}
        aria-checked={props.mixed ? 'mixed' : props.checked}
        onChange={(input) => props.onChange(input.target.checked)}
      />
      {props.label}
    </label>
  );
}
