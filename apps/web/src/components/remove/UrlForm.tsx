'use client';
import { useId, useState } from 'react';
import { Button } from '@bgr/ui';
import styles from './remove.module.css';

export function UrlForm({ disabled, onSubmit }: { disabled: boolean; onSubmit: (url: string) => void }) {
  const [url, setUrl] = useState('');
  const id = useId();
  return (
    <form
      className={styles.urlForm}
      onSubmit={(e) => {
        e.preventDefault();
        if (url.trim()) onSubmit(url.trim());
      }}
    >
      <label htmlFor={id} className="bgr-label">
        Or use an image from the web
      </label>
      <div className={styles.urlRow}>
        <input
          id={id}
          className="bgr-input"
          type="url"
          inputMode="url"
          placeholder="https://example.com/photo.jpg"
          value={url}
          onChange={(e) => setUrl(e.target.value)}
          disabled={disabled}
        />
        <Button type="submit" variant="secondary" disabled={disabled || !url.trim()}>
          Fetch image
        </Button>
      </div>
    </form>
  );
}
