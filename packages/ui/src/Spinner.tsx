export function Spinner({ size = 24, label = 'Loading' }: { size?: number; label?: string }) {
  return (
    // biome-ignore lint/a11y/useAriaPropsSupportedByRole: the label is given only together with role="status"
    <span
      className="bgr-spinner"
      role={label ? 'status' : undefined}
      aria-label={label || undefined}
      aria-hidden={label ? undefined : true}
      style={{ width: size, height: size }}
    />
  );
}
