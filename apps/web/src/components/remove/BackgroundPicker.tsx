'use client';
import { useId } from 'react';

const SWATCHES: { label: string; value: string | null }[] = [
  { label: 'Transparent', value: null },
  { label: 'White', value: '#ffffff' },
  { label: 'Black', value: '#000000' },
  { label: 'Light grey', value: '#e5e7eb' },
  { label: 'Blue', value: '#2563eb' },
  { label: 'Green', value: '#16a34a' },
  { label: 'Yellow', value: '#facc15' },
  { label: 'Pink', value: '#f472b6' },
];

/** Background colour behind the cut-out, applied live in the viewer (and to the HD download). */
export function BackgroundPicker({ value, onChange }: { value: string | null; onChange: (v: string | null) => void }) {
  const id = useId();
  return (
    <fieldset className="bgr-stack" style={{ border: 0, padding: 0, margin: 0, gap: 8 }}>
      <legend className="bgr-label" style={{ marginBottom: 8 }}>
        Background
      </legend>
      <div className="bgr-row" style={{ gap: 8 }} role="radiogroup" aria-label="Background colour">
        {SWATCHES.map((s) => {
          const selected = value === s.value;
          return (
            <button
              key={s.label}
              type="button"
              role="radio"
              aria-checked={selected}
              aria-label={s.label}
              title={s.label}
              onClick={() => onChange(s.value)}
              className={s.value ? 'bgr-swatch' : 'bgr-swatch bgr-checkerboard'}
              style={{
                width: 32,
                height: 32,
                borderRadius: 8,
                cursor: 'pointer',
                padding: 0,
                border: selected ? '2px solid var(--accent)' : '1px solid var(--border)',
                boxShadow: selected ? 'var(--focus)' : undefined,
                ...(s.value ? { background: s.value } : { backgroundSize: '10px 10px' }),
              }}
            />
          );
        })}
        <label htmlFor={id} className="visually-hidden">
          Custom colour
        </label>
        <input
          id={id}
          type="color"
          value={value ?? '#ffffff'}
          onChange={(e) => onChange(e.target.value)}
          style={{
            width: 40,
            height: 34,
            border: '1px solid var(--border)',
            borderRadius: 8,
            padding: 2,
            background: 'var(--surface)',
            cursor: 'pointer',
          }}
        />
      </div>
    </fieldset>
  );
}
