'use client';
import { useEffect, useId, useRef, type ReactNode } from 'react';

export type DialogProps = {
  open: boolean;
  onClose: () => void;
  title: string;
  children: ReactNode;
  /** Buttons shown at the bottom. */
  footer?: ReactNode;
};

/**
 * A modal on the native <dialog> element: focus is trapped and restored by the browser,
 * Escape closes it, and it is announced with its title.
 */
export function Dialog({ open, onClose, title, children, footer }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    if (open && !el.open) el.showModal();
    if (!open && el.open) el.close();
  }, [open]);
  return (
    // biome-ignore lint/a11y/useKeyWithClickEvents: the backdrop click mirrors Escape, which <dialog> already handles from the keyboard
    <dialog
      ref={ref}
      className="bgr-dialog"
      aria-labelledby={titleId}
      onClose={onClose}
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
      onClick={(e) => {
        // A click on the backdrop (the dialog element itself, outside its panel) closes it.
        if (e.target === ref.current) onClose();
      }}
    >
      <div className="bgr-dialog__panel">
        <header className="bgr-dialog__header">
          <h2 id={titleId}>{title}</h2>
          <button type="button" className="bgr-dialog__close" onClick={onClose} aria-label="Close">
            ×
          </button>
        </header>
        <div className="bgr-dialog__body">{children}</div>
        {footer ? <footer className="bgr-dialog__footer">{footer}</footer> : null}
      </div>
    </dialog>
  );
}
