'use client';
/** "Was this helpful?" under each help topic; the answers are counted on the admin console. */
import { useEffect, useState } from 'react';
import { useMutation } from '@tanstack/react-query';
import { Button } from '@bgr/ui';
import { useTRPC } from '~/trpc/react';
import styles from './account.module.css';

const storageKey = (topic: string) => `bgr.help.${topic}`;

export function HelpFeedback({ topic }: { topic: string }) {
  const trpc = useTRPC();
  const [answered, setAnswered] = useState<'yes' | 'no' | null>(null);
  const send = useMutation(trpc.help.feedback.mutationOptions());

  useEffect(() => {
    const previous = window.localStorage.getItem(storageKey(topic));
    if (previous === 'yes' || previous === 'no') setAnswered(previous);
  }, [topic]);

  function answer(helpful: boolean) {
    send.mutate(
      { topic, helpful },
      {
        onSuccess: () => {
          const value = helpful ? 'yes' : 'no';
          window.localStorage.setItem(storageKey(topic), value);
          setAnswered(value);
        },
      },
    );
  }

  if (answered) {
    return (
      <div className={styles.feedback} role="status">
        Thanks for your answer{answered === 'no' ? ' — we will work on this part' : ''}.
      </div>
    );
  }
  return (
    <div className={styles.feedback}>
      <span id={`${topic}-helpful`}>Was this helpful?</span>
      <div className={styles.actions} role="group" aria-labelledby={`${topic}-helpful`}>
        <Button variant="secondary" size="sm" disabled={send.isPending} onClick={() => answer(true)}>
          Yes
        </Button>
        <Button variant="secondary" size="sm" disabled={send.isPending} onClick={() => answer(false)}>
          No
        </Button>
      </div>
      {send.isError ? <span className={styles.error}>Your answer could not be saved. Please try again.</span> : null}
    </div>
  );
}
