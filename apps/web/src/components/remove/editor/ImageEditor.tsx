'use client';
/**
 * Edit mode of the result: fix the model's cut-out by hand with Erase and Restore brushes. It
 * holds what only the editor needs (the tool, the brush, zoom and pan, the comparison, the
 * keyboard shortcuts, the reset confirmation); the strokes, their history and saving belong to
 * the result (useImageEdit), which also shows the edit in the before/after view and saves it
 * before an HD download.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Alert, Button, Dialog, Spinner } from '@bgr/ui';
import { type Brush, DEFAULT_BRUSH, radiusFor, SIZE_STEPS, type Tool } from './brush';
import { EditorCanvas } from './EditorCanvas';
import { EditorToolbar } from './EditorToolbar';
import type { EditRaster } from './edit-raster';
import { shortcutFor } from './keys';
import type { ImageEdit } from './use-image-edit';
import { clampView, fitSize, fittedView, type Size, type View, zoomAt } from './view';
import styles from './editor.module.css';

const ZOOM_STEP = 1.5;

export function ImageEditor({
  image,
  edit,
  raster,
  rasterError,
  onRetry,
  onDone,
}: {
  image: { originalUrl: string; originalName: string; width: number; height: number };
  edit: ImageEdit;
  raster: EditRaster | null;
  rasterError: string | null;
  onRetry: () => void;
  onDone: () => void;
}) {
  const [tool, setTool] = useState<Tool>('erase');
  const [brush, setBrush] = useState<Brush>(DEFAULT_BRUSH);
  const [compare, setCompare] = useState(false);
  const [panKey, setPanKey] = useState(false);
  const [confirmReset, setConfirmReset] = useState(false);
  const [resetError, setResetError] = useState<string | null>(null);
  const [closing, setClosing] = useState(false);
  const viewportRef = useRef<HTMLDivElement>(null);
  const sectionRef = useRef<HTMLElement>(null);
  // Opening the editor brings it whole into view (it replaces the result, lower on the page).
  useEffect(() => {
    sectionRef.current?.scrollIntoView({ block: 'start' });
  }, []);
  const [viewport, setViewport] = useState<Size>({ w: 0, h: 0 });
  const [view, setViewState] = useState<View>({ zoom: 1, x: 0, y: 0 });

  const imageSize = useMemo<Size>(() => ({ w: raster?.width ?? 0, h: raster?.height ?? 0 }), [raster]);
  const fit = useMemo(() => fitSize(viewport, imageSize), [viewport, imageSize]);
  const setView = useCallback((update: (v: View) => View) => setViewState(update), []);

  // The viewport's size, as the window or the phone turns; the picture stays fitted and in view.
  const ready = raster !== null && edit.loaded;
  useEffect(() => {
    const el = viewportRef.current;
    if (!el || !ready) return;
    const measure = () => setViewport({ w: el.clientWidth, h: el.clientHeight });
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, [ready]);
  const fitted = useRef(false);
  useEffect(() => {
    if (fit.w === 0) return;
    setViewState((v) => (fitted.current ? clampView(v, viewport, fit) : fittedView(viewport, fit)));
    fitted.current = true;
  }, [viewport, fit]);

  const zoom = useCallback(
    (direction: 'in' | 'out' | 'fit') => {
      const centre = { x: viewport.w / 2, y: viewport.h / 2 };
      setViewState((v) =>
        direction === 'fit'
          ? fittedView(viewport, fit)
          : zoomAt(v, direction === 'in' ? ZOOM_STEP : 1 / ZOOM_STEP, centre, viewport, fit),
      );
    },
    [viewport, fit],
  );

  const { undo, redo } = edit;
  const hovering = useRef(false);
  useEffect(() => {
    let spaceTaken = false;
    function onKeyDown(e: KeyboardEvent) {
      if (confirmReset) return;
      // Space pans while held; on a focused button or field it keeps its own meaning, unless
      // the pointer is over the picture (a button clicked a moment ago keeps the focus).
      if (e.key === ' ' && (hovering.current || !isControl(e.target))) {
        e.preventDefault();
        spaceTaken = true;
        setPanKey(true);
        return;
      }
      const action = shortcutFor(e);
      if (!action) return;
      e.preventDefault();
      if (action === 'undo') undo();
      else if (action === 'redo') redo();
      else if (action === 'erase' || action === 'restore') setTool(action);
      else
        setBrush((b) => ({ ...b, size: Math.min(SIZE_STEPS, Math.max(1, b.size + (action === 'larger' ? 5 : -5))) }));
    }
    function onKeyUp(e: KeyboardEvent) {
      if (e.key !== ' ' || !spaceTaken) return;
      e.preventDefault();
      spaceTaken = false;
      setPanKey(false);
    }
    const onBlur = () => setPanKey(false);
    window.addEventListener('keydown', onKeyDown);
    window.addEventListener('keyup', onKeyUp);
    window.addEventListener('blur', onBlur);
    return () => {
      window.removeEventListener('keydown', onKeyDown);
      window.removeEventListener('keyup', onKeyUp);
      window.removeEventListener('blur', onBlur);
    };
  }, [undo, redo, confirmReset]);

  async function done() {
    setClosing(true);
    await edit.flush().catch(() => undefined);
    setClosing(false);
    onDone();
  }

  async function reset() {
    setResetError(null);
    try {
      await edit.reset();
      setConfirmReset(false);
    } catch (err) {
      setResetError(err instanceof Error ? err.message : 'The edit could not be reset. Please try again.');
    }
  }

  const status =
    edit.saveStatus === 'saving' || edit.saveStatus === 'pending'
      ? 'Saving…'
      : edit.saveStatus === 'error'
        ? 'Not saved.'
        : edit.edited
          ? 'All changes saved.'
          : 'No edits yet: this is the automatic cut-out.';

  return (
    <section ref={sectionRef} className={styles.editor} aria-label="Edit the cut-out" data-testid="editor">
      <div className={styles.head}>
        <h2 className={styles.title}>Edit the cut-out</h2>
        <Button onClick={() => void done()} loading={closing} data-testid="editor-done">
          Done
        </Button>
      </div>

      <EditorToolbar
        tool={tool}
        onTool={setTool}
        brush={brush}
        onBrush={setBrush}
        image={image}
        zoom={view.zoom}
        onZoom={zoom}
        canUndo={edit.canUndo}
        canRedo={edit.canRedo}
        onUndo={undo}
        onRedo={redo}
        compare={compare}
        onCompare={setCompare}
        canReset={edit.edited || edit.canRedo}
        onReset={() => setConfirmReset(true)}
      />

      {edit.error ? (
        <Alert tone="error" onDismiss={edit.dismissError}>
          {edit.error}
        </Alert>
      ) : null}

      {ready ? (
        <EditorCanvas
          raster={raster}
          strokes={edit.history.strokes}
          tool={tool}
          radius={radiusFor(brush.size)}
          softness={brush.softness / 100}
          panKey={panKey}
          view={view}
          setView={setView}
          viewport={viewport}
          fit={fit}
          viewportRef={viewportRef}
          compare={compare}
          originalUrl={image.originalUrl}
          alt={image.originalName}
          onStroke={edit.addStroke}
          onHover={(over) => {
            hovering.current = over;
          }}
        />
      ) : rasterError || edit.loadError ? (
        <Alert tone="error">
          {rasterError ?? edit.loadError}{' '}
          <Button size="sm" variant="secondary" onClick={onRetry}>
            Try again
          </Button>
        </Alert>
      ) : (
        <div className={styles.loading}>
          <Spinner /> <span className="bgr-muted">Preparing the editor…</span>
        </div>
      )}

      <div className={styles.foot}>
        <span className={styles.saved} role="status" data-testid="editor-save-status">
          {status}
        </span>
        <p className={styles.hint}>
          Drag to paint. Scroll or pinch to zoom; hold Space, use two fingers or pick Pan to move around. Editing is
          free.
        </p>
      </div>

      <Dialog
        open={confirmReset}
        onClose={() => setConfirmReset(false)}
        title="Reset to automatic?"
        footer={
          <>
            <Button variant="secondary" onClick={() => setConfirmReset(false)}>
              Cancel
            </Button>
            <Button variant="danger" onClick={() => void reset()} loading={edit.resetting} data-testid="confirm-reset">
              Reset
            </Button>
          </>
        }
      >
        <p style={{ margin: 0 }}>
          Every brush stroke on this image is removed and the cut-out goes back to the model&apos;s own. This cannot be
          undone.
        </p>
        {resetError ? <Alert tone="error">{resetError}</Alert> : null}
      </Dialog>
    </section>
  );
}

/** Space on a button, link or field keeps its own meaning (press, scroll, type). */
function isControl(target: EventTarget | null): boolean {
  const t = target as HTMLElement | null;
  return Boolean(t?.closest?.('button, a, input, textarea, select, [contenteditable="true"]'));
}
