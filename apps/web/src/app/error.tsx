'use client';
import { Button } from '@bgr/ui';

/** Shown instead of a stack trace when a page fails to render. */
export default function ErrorPage({ reset }: { error: Error; reset: () => void }) {
  return (
    <div className="bgr-card" style={{ maxWidth: 520, margin: '6vh auto', textAlign: 'center' }}>
      <h1>Something went wrong</h1>
      <p className="bgr-muted">This page could not be shown. Please try again in a moment.</p>
      <Button onClick={reset}>Try again</Button>
    </div>
  );
}
