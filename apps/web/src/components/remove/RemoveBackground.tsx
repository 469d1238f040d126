'use client';
import { useCallback, useEffect, useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, DropZone } from '@bgr/ui';
import { useTRPC } from '~/trpc/react';
import { uploadImage, type UploadedImage } from './upload';
import { ResultView } from './ResultView';
import { RecentImages } from './RecentImages';
import { UrlForm } from './UrlForm';
import { BulkQueue } from './bulk/BulkQueue';
import { RecentBatches } from './bulk/RecentBatches';
import { MAX_BATCH_IMAGES } from '~/lib/batch';
import styles from './remove.module.css';
import { MAX_INPUT_PIXELS } from '@bgr/inference-client/options';
import { FILE_TOO_LARGE_SENTENCE, MAX_UPLOAD_MB } from '~/lib/upload-limit';

type Phase =
  | { kind: 'idle' }
  | { kind: 'uploading'; progress: number }
  | { kind: 'processing' }
  | { kind: 'ready'; image: UploadedImage };

const ACCEPT = 'image/jpeg,image/png,image/webp';

export function RemoveBackground() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [phase, setPhase] = useState<Phase>({ kind: 'idle' });
  const [error, setError] = useState<string | null>(null);
  // Several files dropped, picked or pasted at once: the bulk queue (one batch).
  const [bulk, setBulk] = useState<File[] | null>(null);
  const busy = phase.kind === 'uploading' || phase.kind === 'processing' || bulk !== null;

  const start = useCallback(
    async (body: FormData | { url: string }) => {
      setError(null);
      setPhase(body instanceof FormData ? { kind: 'uploading', progress: 0 } : { kind: 'processing' });
      try {
        const image = await uploadImage(body, (p) =>
          setPhase(p >= 1 ? { kind: 'processing' } : { kind: 'uploading', progress: p }),
        );
        setPhase({ kind: 'ready', image });
        void queryClient.invalidateQueries({ queryKey: trpc.images.recent.queryKey() });
      } catch (err) {
        setPhase({ kind: 'idle' });
        setError(err instanceof Error ? err.message : 'The upload failed. Please try again.');
      }
    },
    [queryClient, trpc],
  );

  const onFile = useCallback(
    (file: File) => {
      if (file.size > 22 * 1024 * 1024) {
        setError(FILE_TOO_LARGE_SENTENCE);
        return;
      }
      const form = new FormData();
      form.set('file', file);
      void start(form);
    },
    [start],
  );

  const onFiles = useCallback(
    (files: File[]) => {
      if (files.length === 1) {
        onFile(files[0]!);
        return;
      }
      setError(null);
      setBulk(files);
    },
    [onFile],
  );

  // Paste an image (or an image address) from the clipboard anywhere on the page.
  useEffect(() => {
    function onPaste(e: ClipboardEvent) {
      if (busy) return;
      const target = e.target as HTMLElement | null;
      if (target && (target.tagName === 'INPUT' || target.tagName === 'TEXTAREA')) return;
      const pasted = Array.from(e.clipboardData?.files ?? []).filter((f) => f.type.startsWith('image/'));
      if (pasted.length > 0) {
        e.preventDefault();
        onFiles(pasted);
        return;
      }
      const text = e.clipboardData?.getData('text/plain')?.trim();
      if (text && /^https?:\/\//i.test(text)) {
        e.preventDefault();
        void start({ url: text });
      }
    }
    window.addEventListener('paste', onPaste);
    return () => window.removeEventListener('paste', onPaste);
  }, [busy, onFiles, start]);

  const recent = useQuery(trpc.images.recent.queryOptions({ limit: 12, singles: true }));

  return (
    <div className="bgr-stack" style={{ gap: 28 }}>
      <section className={styles.hero} aria-labelledby="hero-title">
        <h1 id="hero-title">Remove the background from any photo</h1>
        <p className="bgr-muted">
          Free preview in seconds. Download the full-resolution cut-out for 1 credit — and again for free.
        </p>
      </section>

      {error ? (
        <Alert tone="error" onDismiss={() => setError(null)}>
          {error}
        </Alert>
      ) : null}

      {bulk ? (
        <BulkQueue files={bulk} onClose={() => setBulk(null)} />
      ) : phase.kind === 'ready' ? (
        <ResultView
          key={phase.image.id}
          image={phase.image}
          onNew={() => setPhase({ kind: 'idle' })}
          onImageChange={(image) => setPhase({ kind: 'ready', image })}
        />
      ) : (
        <section className="bgr-card bgr-stack" aria-label="Upload an image">
          <DropZone
            accept={ACCEPT}
            onFile={onFile}
            multiple
            onFiles={onFiles}
            progress={phase.kind === 'uploading' ? phase.progress : phase.kind === 'processing' ? null : undefined}
            progressLabel={
              phase.kind === 'uploading'
                ? `Uploading… ${Math.round(phase.progress * 100)}%`
                : 'Removing the background…'
            }
            title="Drop images here, or click to choose them"
            hint={`JPEG, PNG or WebP up to ${MAX_UPLOAD_MB} MB and ${MAX_INPUT_PIXELS / 1e6} megapixels. Up to ${MAX_BATCH_IMAGES} images at once. You can also paste an image with Ctrl+V.`}
          />
          <UrlForm disabled={busy} onSubmit={(url) => void start({ url })} />
        </section>
      )}

      <RecentBatches />
      <RecentImages
        images={recent.data ?? []}
        loading={recent.isLoading}
        activeId={phase.kind === 'ready' ? phase.image.id : null}
        onOpen={(image) => {
          setError(null);
          setPhase({ kind: 'ready', image });
          window.scrollTo({ top: 0, behavior: 'smooth' });
        }}
      />
      {phase.kind === 'ready' ? null : <ExampleNote />}
    </div>
  );
}

function ExampleNote() {
  return (
    <p className="bgr-muted" style={{ fontSize: '0.85rem', textAlign: 'center' }}>
      Images and results are kept for a limited time and then deleted automatically.
    </p>
  );
}
