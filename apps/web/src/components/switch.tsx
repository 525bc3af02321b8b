interface SwitchProps {
  checked: boolean;
  label: string;
  disabled?: boolean;
  onChange(checked: boolean): void;
}

/** An on/off switch: a button with role="switch", so it is announced and toggled with Space/Enter. */
export function Switch({ checked, label, disabled, onChange }: SwitchProps) {
  return (
    <button
      type="button"
      role="switch"
      className="switch"
      aria-checked={checked}
      aria-label={label}
      disabled={disabled}
      onClick={() => onChange(!checked)}
    >
      <span className="switch-track" aria-hidden="true">
        <span className="switch-thumb" />
      </span>
      <span className="switch-text">{checked ? 'Enabled' : 'Disabled'}</span>
    </button>
  );
}
