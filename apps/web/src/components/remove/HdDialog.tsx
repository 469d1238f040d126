'use client';
import { useEffect, useState } from 'react';
import Link from 'next/link';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Dialog, Spinner } from '@bgr/ui';
import { useTRPC } from '~/trpc/react';
import { formatCredits } from '@bgr/credits';
import type { UploadedImage } from './upload';
import type { ShadowChoice } from '~/lib/shadow';
import styles from './remove.module.css';

type Format = 'png' | 'webp' | 'zip';
const FORMAT_INFO: Record<Format, { label: string; hint: string }> = {
  png: { label: 'PNG', hint: 'Transparent, lossless. Up to 10 megapixels.' },
  webp: { label: 'WebP', hint: 'Transparent, much smaller files, any size.' },
  zip: { label: 'ZIP', hint: 'A colour JPEG plus an alpha mask PNG, for large images.' },
};

export function HdDialog({
  open,
  onClose,
  image,
  background,
  shadow,
  edited = false,
  beforeDownload,
  onPaid,
}: {
  open: boolean;
  onClose: () => void;
  image: UploadedImage;
  background: string | null;
  shadow: ShadowChoice | null;
  /** The image has hand edits: the HD file has them too (same price: 1 credit once per image). */
  edited?: boolean;
  /** Runs before anything is charged: the editor saves its last strokes, which the HD render reads. */
  beforeDownload?: () => Promise<void>;
  onPaid: () => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const quote = useQuery({ ...trpc.images.hdQuote.queryOptions({ id: image.id }), enabled: open, staleTime: 0 });
  const [format, setFormat] = useState<Format | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [saveError, setSaveError] = useState<string | null>(null);
  const hd = useMutation(trpc.images.hd.mutationOptions());

  // biome-ignore lint/correctness/useExhaustiveDependencies: reset once each time the dialog opens, not when `hd` changes
  useEffect(() => {
    if (open) {
      setDone(null);
      setSaveError(null);
      hd.reset();
    }
  }, [open]);

  const formats = (quote.data?.formats ?? []) as Format[];
  const chosen: Format | null = format && formats.includes(format) ? format : (formats[0] ?? null);

  async function download() {
    if (!chosen) return;
    setDone(null);
    setSaveError(null);
    if (beforeDownload) {
      const saved = await beforeDownload().then(
        () => true,
        (err: unknown) => {
          const why = err instanceof Error ? err.message : 'It could not be saved.';
          setSaveError(`Your latest edits could not be saved, so nothing was downloaded or charged. ${why}`);
          return false;
        },
      );
      if (!saved) return;
    }
    const res = await hd
      .mutateAsync({
        id: image.id,
        format: chosen,
        bgColor: background ?? undefined,
        ...(shadow ? { shadowType: shadow.type, shadowOpacity: shadow.opacity } : {}),
      })
      .catch(() => null);
    void queryClient.invalidateQueries({ queryKey: trpc.account.balance.queryKey() });
    void queryClient.invalidateQueries({ queryKey: trpc.images.hdQuote.queryKey({ id: image.id }) });
    if (!res) return;
    void queryClient.invalidateQueries({ queryKey: trpc.images.recent.queryKey() });
    onPaid();
    const a = document.createElement('a');
    a.href = res.downloadUrl;
    a.download = res.filename;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setDone(
      res.charged
        ? `Your download has started. ${formatCredits(res.chargedCredits)} was charged; you have ${formatCredits(res.balanceCredits)} left.`
        : `Your download has started. Nothing was charged — you had already paid for this image. You have ${formatCredits(res.balanceCredits)}.`,
    );
  }

  const paid = quote.data?.paid ?? image.hdPaid;
  const short = quote.data && !paid && quote.data.balanceUnits < quote.data.costUnits;
  const errorMessage = saveError ?? (hd.error ? hd.error.message : null);

  return (
    <Dialog
      open={open}
      onClose={onClose}
      title="Download HD"
      footer={
        <>
          <Button variant="secondary" onClick={onClose}>
            {done ? 'Close' : 'Cancel'}
          </Button>
          <Button
            onClick={() => void download()}
            loading={hd.isPending}
            disabled={!quote.data || !chosen}
            data-testid="confirm-hd"
          >
            {paid ? 'Download again (free)' : 'Download for 1 credit'}
          </Button>
        </>
      }
    >
      {quote.isLoading ? (
        <div className="bgr-row">
          <Spinner /> <span className="bgr-muted">Checking your balance…</span>
        </div>
      ) : quote.error ? (
        <Alert tone="error">{quote.error.message}</Alert>
      ) : quote.data ? (
        <div className="bgr-stack">
          <dl className={styles.quote}>
            <div>
              <dt>Cost</dt>
              <dd data-testid="hd-cost">{paid ? 'Free (already paid)' : formatCredits(quote.data.costCredits)}</dd>
            </div>
            <div>
              <dt>Your balance</dt>
              <dd data-testid="hd-balance">{formatCredits(quote.data.balanceCredits)}</dd>
            </div>
            <div>
              <dt>Size</dt>
              <dd>
                {quote.data.width} × {quote.data.height} px
              </dd>
            </div>
          </dl>

          <fieldset className={styles.formats}>
            <legend className="bgr-label">Format</legend>
            {formats.map((f) => (
              <label key={f} className={styles.formatOption}>
                <input type="radio" name="hd-format" value={f} checked={chosen === f} onChange={() => setFormat(f)} />
                <span>
                  <strong>{FORMAT_INFO[f].label}</strong>
                  <span className="bgr-muted"> — {FORMAT_INFO[f].hint}</span>
                </span>
              </label>
            ))}
            {!formats.includes('png') ? (
              <p className="bgr-muted" style={{ fontSize: '0.85rem', margin: 0 }}>
                This image is larger than 10 megapixels, so it comes as WebP or ZIP.
              </p>
            ) : null}
          </fieldset>

          {background ? (
            <p className="bgr-muted" style={{ margin: 0, fontSize: '0.9rem' }}>
              The background colour you picked (<span className={styles.dot} style={{ background }} /> {background})
              will be applied.
            </p>
          ) : null}

          {edited ? (
            <p className="bgr-muted" style={{ margin: 0, fontSize: '0.9rem' }} data-testid="hd-edited">
              Your hand edits are applied at full resolution
              {paid ? ' — the edited version of a paid image is free.' : '. Editing costs nothing extra.'}
            </p>
          ) : null}

          {shadow ? (
            <p className="bgr-muted" style={{ margin: 0, fontSize: '0.9rem' }} data-testid="hd-shadow">
              With the {shadow.type === '3D' ? '3D' : shadow.type} shadow you picked, at {shadow.opacity}% opacity
              {paid ? ' — another shadow of a paid image is free.' : '.'}
            </p>
          ) : null}

          {short && !errorMessage ? (
            <Alert tone="warning">
              You need 1 credit to download this image in HD, but your balance is{' '}
              {formatCredits(quote.data.balanceCredits)}. <Link href="/dashboard">See your credits</Link>.
            </Alert>
          ) : null}
          {errorMessage ? <Alert tone="error">{errorMessage}</Alert> : null}
          {done ? <Alert tone="success">{done}</Alert> : null}
        </div>
      ) : null}
    </Dialog>
  );
}
