export function Progress({ value, label }: { value: number | null; label: string }) {
  const pct = value === null ? undefined : Math.max(0, Math.min(100, Math.round(value * 100)));
  return (
    <div
      className="bgr-progress"
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={pct}
    >
      <div
        className={pct === undefined ? 'bgr-progress__bar bgr-progress__bar--indeterminate' : 'bgr-progress__bar'}
        style={pct === undefined ? undefined : { width: `${pct}%` }}
      />
    </div>
  );
}
