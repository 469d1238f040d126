'use client';
/**
 * The pieces the console's forms and a team owner's member form are made of: a labelled input (an
 * email, a name, a note, a number of credits), a row of radio choices, and the submit button with
 * the call's error or success sentence under it. Each form keeps its own state and what it sends;
 * these keep the markup, and so the labels the pages are read and tested by, written once.
 */
import type { InputHTMLAttributes, ReactNode } from 'react';
import { Alert, Button, type ButtonProps } from '@bgr/ui';
import { errorSentence } from '../dashboard/error-sentence';
import account from '../dashboard/account.module.css';
import styles from './admin.module.css';

type FieldProps = Omit<InputHTMLAttributes<HTMLInputElement>, 'id' | 'value' | 'onChange' | 'className'> & {
  id: string;
  label: ReactNode;
  value: string;
  onChange: (value: string) => void;
  /** A line under the input. */
  hint?: ReactNode;
  /** The field's preferred width in a row of fields (e.g. '170px'); default: as the row shares it out. */
  width?: string;
};

/** A label and its input (the input's other attributes as given), with an optional hint under it. */
export function Field({ id, label, value, onChange, hint, width, ...input }: FieldProps) {
  return (
    <div className={account.field} style={width ? { flex: `0 1 ${width}` } : undefined}>
      <label htmlFor={id}>{label}</label>
      <input id={id} className="bgr-input" value={value} onChange={(e) => onChange(e.target.value)} {...input} />
      {hint ? <span className={account.hint}>{hint}</span> : null}
    </div>
  );
}

/** A number of credits, in quarters (the smallest charge); at least a quarter unless `min` says otherwise. */
export function CreditsField(props: FieldProps) {
  return <Field type="number" inputMode="decimal" min="0.25" step="0.25" {...props} />;
}

/** One choice of a few, as radio buttons in a row; the legend is for screen readers. */
export function RadioRow<V extends string>({
  legend,
  name,
  value,
  onChange,
  options,
}: {
  legend: string;
  name: string;
  value: V;
  onChange: (value: V) => void;
  /** Each choice's label by its value, in order. */
  options: Readonly<Record<V, string>>;
}) {
  return (
    <fieldset className={styles.radioRow} style={{ border: 0, padding: 0, margin: 0 }}>
      <legend className="visually-hidden">{legend}</legend>
      {(Object.entries(options) as [V, string][]).map(([v, text]) => (
        <label key={v} className={styles.radio}>
          <input type="radio" name={name} value={v} checked={value === v} onChange={() => onChange(v)} /> {text}
        </label>
      ))}
    </fieldset>
  );
}

/**
 * The form's submit button (busy while the call runs), then the call's error as a sentence or, once
 * it succeeded, `success` (pass null while there is nothing to say).
 */
export function SubmitRow({
  children,
  call,
  disabled,
  variant,
  success,
}: {
  children: ReactNode;
  call: { isPending: boolean; error: unknown };
  disabled?: boolean;
  variant?: ButtonProps['variant'];
  success?: ReactNode;
}) {
  return (
    <>
      <div className={account.actions}>
        <Button type="submit" variant={variant} loading={call.isPending} disabled={disabled}>
          {children}
        </Button>
      </div>
      {call.error ? <Alert tone="error">{errorSentence(call.error)}</Alert> : null}
      {success ? <Alert tone="success">{success}</Alert> : null}
    </>
  );
}
