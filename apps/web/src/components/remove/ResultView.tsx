'use client';
import { useMemo, useState } from 'react';
import { useMutation } from '@tanstack/react-query';
import { BeforeAfter, Button } from '@bgr/ui';
import { strokesRevision } from '@bgr/strokes';
import { useTRPC } from '~/trpc/react';
import type { UploadedImage } from './upload';
import { HdDialog } from './HdDialog';
import { BackgroundPicker } from './BackgroundPicker';
import { ShadowPicker, type ShadowSetting } from './ShadowPicker';
import { useShadowPreview } from './use-shadow-preview';
import type { ShadowChoice } from '~/lib/shadow';
import { ImageEditor } from './editor/ImageEditor';
import { useEditRaster } from './editor/use-edit-raster';
import { useEditedPreview } from './editor/use-edited-preview';
import { useImageEdit } from './editor/use-image-edit';
import { toDocument } from './editor/use-edit-save';
import styles from './remove.module.css';

export function ResultView({
  image,
  onNew,
  onImageChange,
}: {
  image: UploadedImage;
  onNew: () => void;
  onImageChange: (image: UploadedImage) => void;
}) {
  const trpc = useTRPC();
  const [background, setBackground] = useState<string | null>(null);
  const [shadowSetting, setShadowSetting] = useState<ShadowSetting>({ type: 'none', opacity: 50 });
  const shadow: ShadowChoice | null =
    shadowSetting.type === 'none' || shadowSetting.opacity === 0
      ? null
      : { type: shadowSetting.type, opacity: shadowSetting.opacity };
  // The hand edit: its strokes (saved with the image), the editor, and the edited picture that
  // the before/after view shows once the editor is closed.
  const edit = useImageEdit(image.id);
  const [editing, setEditing] = useState(false);
  // The shadow preview is drawn with the saved edit, named by its revision; none is asked for while
  // the editor is open (each stroke would be another render).
  const strokes = edit.history.strokes;
  const revision = useMemo(() => (strokes.length > 0 ? strokesRevision(toDocument(strokes)) : null), [strokes]);
  const preview = useShadowPreview(image.previewUrl, shadow, { revision, flush: edit.flush, editing });
  const [hdOpen, setHdOpen] = useState(false);
  const [consent, setConsent] = useState(image.consentImprove);
  const consentMutation = useMutation(trpc.images.setConsent.mutationOptions());
  const pixels = useEditRaster(image, editing || edit.edited);
  const editedUrl = useEditedPreview(pixels.raster, edit.history.strokes, !editing);

  if (editing) {
    return (
      <section className={`bgr-card ${styles.result} ${styles.editing}`} aria-label="Result">
        <ImageEditor
          image={image}
          edit={edit}
          raster={pixels.raster}
          rasterError={pixels.error}
          onRetry={pixels.retry}
          onDone={() => setEditing(false)}
        />
      </section>
    );
  }

  return (
    <section className={`bgr-card ${styles.result}`} aria-label="Result">
      <div className={styles.viewer}>
        <BeforeAfter
          before={image.originalUrl}
          after={editedUrl && !shadow ? editedUrl : preview.url}
          width={image.width}
          height={image.height}
          alt={image.originalName}
          background={background}
        />
      </div>
      <aside className={styles.side}>
        <div>
          <h2 className={styles.name} title={image.originalName}>
            {image.originalName}
          </h2>
          <p className="bgr-muted" style={{ margin: 0, fontSize: '0.9rem' }}>
            {image.width} × {image.height} px · {image.megapixels.toFixed(1)} MP
          </p>
        </div>

        <BackgroundPicker value={background} onChange={setBackground} />
        <ShadowPicker value={shadowSetting} onChange={setShadowSetting} busy={preview.loading} />
        {preview.error ? (
          <p
            role="alert"
            className="bgr-muted"
            style={{ margin: 0, fontSize: '0.9rem', color: 'var(--danger, #b91c1c)' }}
          >
            {preview.error}
          </p>
        ) : null}

        <div className="bgr-stack" style={{ gap: 6 }}>
          <Button
            variant="secondary"
            onClick={() => setEditing(true)}
            data-testid="open-editor"
            disabled={!edit.loaded}
          >
            Edit
          </Button>
          <p className="bgr-muted" style={{ fontSize: '0.85rem', margin: 0 }} data-testid="edit-note">
            {edit.loadError
              ? edit.loadError
              : edit.edited
                ? 'Edited by hand: your strokes are saved with the image.'
                : 'Not quite right? Erase or restore parts of the cut-out by hand, for free.'}
          </p>
          {edit.error ? (
            <p role="alert" style={{ margin: 0, fontSize: '0.85rem', color: 'var(--danger, #b91c1c)' }}>
              {edit.error}
            </p>
          ) : null}
        </div>

        <div className="bgr-stack" style={{ gap: 8 }}>
          <Button size="lg" onClick={() => setHdOpen(true)} data-testid="open-hd">
            Download HD
          </Button>
          <p className="bgr-muted" style={{ fontSize: '0.85rem', margin: 0 }} data-testid="hd-note">
            {hdNote(image.hdPaid, edit.edited)}
          </p>
          <Button variant="secondary" onClick={onNew}>
            Remove another background
          </Button>
        </div>

        <label className="bgr-check">
          <input
            type="checkbox"
            checked={consent}
            disabled={consentMutation.isPending}
            onChange={(e) => {
              const allow = e.target.checked;
              setConsent(allow);
              consentMutation.mutate(
                { id: image.id, allow },
                {
                  onSuccess: () => onImageChange({ ...image, consentImprove: allow }),
                  onError: () => setConsent(!allow),
                },
              );
            }}
          />
          <span>
            Allow this image to be used to improve the quality of our service.
            <span className="bgr-muted"> Off unless you tick it.</span>
          </span>
        </label>
      </aside>

      <HdDialog
        open={hdOpen}
        onClose={() => setHdOpen(false)}
        image={image}
        background={background}
        shadow={shadow}
        edited={edit.edited}
        beforeDownload={edit.flush}
        onPaid={() => onImageChange({ ...image, hdPaid: true })}
      />
    </section>
  );
}

function hdNote(paid: boolean, edited: boolean): string {
  if (edited) {
    return paid
      ? 'Already paid — your edited version downloads for free.'
      : 'Full resolution with your edits for 1 credit. Editing and the preview are free.';
  }
  return paid
    ? 'Already paid — download it again for free.'
    : 'Full resolution for 1 credit. The preview above is free.';
}
