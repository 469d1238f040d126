import type { ReactNode } from 'react';

export type AlertProps = {
  tone?: 'info' | 'success' | 'warning' | 'error';
  title?: string;
  children: ReactNode;
  onDismiss?: () => void;
};

/** Errors are announced to screen readers at once (role=alert); other tones politely. */
export function Alert({ tone = 'info', title, children, onDismiss }: AlertProps) {
  return (
    <div className={`bgr-alert bgr-alert--${tone}`} role={tone === 'error' || tone === 'warning' ? 'alert' : 'status'}>
      <div className="bgr-alert__body">
        {title ? <strong className="bgr-alert__title">{title}</strong> : null}
        <div>{children}</div>
      </div>
      {onDismiss ? (
        <button type="button" className="bgr-alert__close" onClick={onDismiss} aria-label="Dismiss">
          ×
        </button>
      ) : null}
    </div>
  );
}
