import { useApp } from '../app-context';

/** A filter over the catalog's event types, grouped by category; '' is the "any" choice. */
export function EventTypeSelect({ value, onChange, anyLabel }: { value: string; onChange: (eventType: string) => void; anyLabel: string }) {
  const { categories: harmony, operationalCategory } = useApp();
  // Operational events too: the operational endpoint's log holds them.
  const categories = operationalCategory ? [...harmony, operationalCategory] : harmony;
  return (
    <label>
      Event type{' '}
      <select value={value} onChange={(input) => onChange(input.target.value)}>
        <option value="">{anyLabel}</option>
        {categories.map((category) => (
          <optgroup key={category.name} label={category.label}>
            {category.events.map((event) => (
              <option key={event.type} value={event.type}>
                {event.type}
              </option>
            ))}
          </optgroup>
        ))}
      </select>
    </label>
  );
}
