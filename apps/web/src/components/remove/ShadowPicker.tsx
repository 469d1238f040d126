'use client';
import { useId } from 'react';
import { defaultShadowOpacity, WEB_SHADOW_TYPES, type WebShadowType } from '~/lib/shadow';

const LABELS: Record<WebShadowType, string> = { none: 'None', drop: 'Drop', '3D': '3D', car: 'Car' };

export interface ShadowSetting {
  type: WebShadowType;
  opacity: number;
}

/**
 * The shadow under the cut-out (None / Drop / 3D / Car, with its opacity), beside the background
 * picker. The preview is drawn again with it; the HD download uses the same choice.
 */
export function ShadowPicker({
  value,
  onChange,
  busy,
}: {
  value: ShadowSetting;
  onChange: (v: ShadowSetting) => void;
  busy?: boolean;
}) {
  const sliderId = useId();
  return (
    <fieldset className="bgr-stack" style={{ border: 0, padding: 0, margin: 0, gap: 8 }} data-testid="shadow-picker">
      <legend className="bgr-label" style={{ marginBottom: 8 }}>
        Shadow{busy ? <span className="bgr-muted"> · drawing…</span> : null}
      </legend>
      <div className="bgr-row" style={{ gap: 6 }} role="radiogroup" aria-label="Shadow">
        {WEB_SHADOW_TYPES.map((type) => {
          const selected = value.type === type;
          return (
            <button
              key={type}
              type="button"
              role="radio"
              aria-checked={selected}
              onClick={() =>
                onChange({ type, opacity: value.type === type ? value.opacity : defaultShadowOpacity(type) })
              }
              style={{
                padding: '6px 12px',
                borderRadius: 8,
                cursor: 'pointer',
                background: selected ? 'var(--accent)' : 'var(--surface)',
                color: selected ? '#fff' : 'inherit',
                border: selected ? '1px solid var(--accent)' : '1px solid var(--border)',
                boxShadow: selected ? 'var(--focus)' : undefined,
              }}
            >
              {LABELS[type]}
            </button>
          );
        })}
      </div>
      {value.type !== 'none' ? (
        <div className="bgr-row" style={{ gap: 10 }}>
          <label htmlFor={sliderId} className="bgr-muted" style={{ fontSize: '0.9rem' }}>
            Opacity
          </label>
          <input
            id={sliderId}
            type="range"
            min={0}
            max={100}
            step={5}
            value={value.opacity}
            onChange={(e) => onChange({ ...value, opacity: Number(e.target.value) })}
            style={{ flex: 1 }}
          />
          <output htmlFor={sliderId} style={{ minWidth: 40, textAlign: 'right' }}>
            {value.opacity}%
          </output>
        </div>
      ) : null}
    </fieldset>
  );
}
