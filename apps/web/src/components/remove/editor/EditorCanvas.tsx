'use client';
/**
 * The canvas a person paints on. Pointer events, so a mouse, a pen and a finger all paint; one
 * finger paints, two pinch and pan (a stroke begun by the first finger is dropped when the second
 * lands), the wheel zooms at the cursor, and the pan tool, the middle button or a held Space drag
 * the picture. The stroke under the pointer is thinned as it grows and painted live at most once
 * per frame; on release it is handed up, and the history drives what the canvas shows.
 */
import { type PointerEvent as ReactPointerEvent, useCallback, useEffect, useLayoutEffect, useRef } from 'react';
import { MAX_STROKE_POINTS, type ChangedBox, type Stroke } from '@bgr/strokes';
import type { EditRaster } from './edit-raster';
import { PointThinner } from './points';
import type { Tool } from './brush';
import { cssTransform, panBy, pinch, toImage, type Point, type Size, type View, zoomAt } from './view';
import styles from './editor.module.css';

type Gesture =
  | { kind: 'idle' }
  | { kind: 'paint'; pointerId: number; thinner: PointThinner; mode: 'erase' | 'restore' }
  | { kind: 'pan'; pointerId: number; last: Point }
  | { kind: 'pinch'; from: { mid: Point; dist: number } }
  /** A gesture ended early (a pinch lost a finger): nothing until every pointer is up. */
  | { kind: 'wait' };

export type EditorCanvasProps = {
  raster: EditRaster;
  strokes: readonly Stroke[];
  tool: Tool;
  radius: number;
  softness: number;
  /** Space is held: dragging pans whatever the tool. */
  panKey: boolean;
  view: View;
  setView: (update: (v: View) => View) => void;
  viewport: Size;
  fit: Size;
  viewportRef: React.RefObject<HTMLDivElement | null>;
  /** Show the original photo instead of the cut-out (the before/after comparison). */
  compare: boolean;
  originalUrl: string;
  alt: string;
  /** A finished stroke; false when it was refused (the canvas then drops it). */
  onStroke: (stroke: Stroke) => boolean;
  /** A mouse or pen is over the canvas (Space then pans even while a button has focus). */
  onHover?: (over: boolean) => void;
};

export function EditorCanvas(props: EditorCanvasProps) {
  const { raster, strokes, tool, panKey, view, setView, fit, viewportRef } = props;
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const cursorRef = useRef<HTMLDivElement>(null);
  const gesture = useRef<Gesture>({ kind: 'idle' });
  const pointers = useRef(new Map<number, Point>());
  const frame = useRef<number | null>(null);
  // The handlers read the newest values without being recreated on every change.
  const latest = useRef(props);
  latest.current = props;

  const paint = useCallback(
    (box: ChangedBox | null) => {
      const ctx = canvasRef.current?.getContext('2d');
      if (!ctx || !box) return;
      const image = new ImageData(raster.rgba, raster.width, raster.height);
      ctx.putImageData(image, 0, 0, box.x0, box.y0, box.x1 - box.x0, box.y1 - box.y0);
    },
    [raster],
  );

  // A new raster (pixels loaded) is drawn whole; a new history only where it changed.
  useLayoutEffect(() => {
    paint(raster.whole);
  }, [raster, paint]);
  useLayoutEffect(() => {
    paint(raster.sync(strokes));
  }, [raster, strokes, paint]);

  const liveStroke = (g: Extract<Gesture, { kind: 'paint' }>): Stroke => ({
    mode: g.mode,
    radius: latest.current.radius,
    softness: latest.current.softness,
    points: [...g.thinner.points],
  });

  const scheduleFrame = () => {
    if (frame.current !== null) return;
    frame.current = requestAnimationFrame(() => {
      frame.current = null;
      const g = gesture.current;
      if (g.kind === 'paint') paint(raster.preview(liveStroke(g)));
    });
  };

  const cancelStroke = () => {
    if (frame.current !== null) cancelAnimationFrame(frame.current);
    frame.current = null;
    paint(raster.cancel());
  };

  const finishStroke = (g: Extract<Gesture, { kind: 'paint' }>) => {
    if (frame.current !== null) cancelAnimationFrame(frame.current);
    frame.current = null;
    g.thinner.finish();
    const stroke = liveStroke(g);
    paint(raster.preview(stroke));
    if (!latest.current.onStroke(stroke)) paint(raster.cancel());
  };

  const local = (e: { clientX: number; clientY: number }): Point => {
    const rect = viewportRef.current?.getBoundingClientRect();
    return { x: e.clientX - (rect?.left ?? 0), y: e.clientY - (rect?.top ?? 0) };
  };

  const twoFingers = (): { mid: Point; dist: number } => {
    const [a, b] = [...pointers.current.values()];
    if (!a || !b) return { mid: { x: 0, y: 0 }, dist: 0 };
    return { mid: { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 }, dist: Math.hypot(a.x - b.x, a.y - b.y) };
  };

  const moveCursor = (p: Point | null) => {
    const el = cursorRef.current;
    if (!el) return;
    const { tool: t, panKey: space, view: v, fit: f, radius: r } = latest.current;
    if (!p || t === 'pan' || space || gesture.current.kind === 'pinch') {
      el.style.display = 'none';
      return;
    }
    const d = 2 * r * Math.max(f.w, f.h) * v.zoom;
    el.style.display = 'block';
    el.style.width = `${d}px`;
    el.style.height = `${d}px`;
    el.style.transform = `translate(${p.x - d / 2}px, ${p.y - d / 2}px)`;
  };

  function onPointerDown(e: ReactPointerEvent<HTMLDivElement>) {
    const p = local(e);
    try {
      // Moves outside the canvas keep coming to it until the button or finger is lifted.
      e.currentTarget.setPointerCapture(e.pointerId);
    } catch {
      // A pointer the browser no longer tracks: the gesture still works without capture.
    }
    pointers.current.set(e.pointerId, p);
    const g = gesture.current;
    if (pointers.current.size === 2 && (g.kind === 'paint' || g.kind === 'pan' || g.kind === 'idle')) {
      if (g.kind === 'paint') cancelStroke();
      gesture.current = { kind: 'pinch', from: twoFingers() };
      moveCursor(null);
      return;
    }
    if (pointers.current.size > 1 || g.kind !== 'idle') return;
    const { tool: t, panKey: space } = latest.current;
    if (t === 'pan' || space || e.button === 1) {
      gesture.current = { kind: 'pan', pointerId: e.pointerId, last: p };
      return;
    }
    if (e.button !== 0) return;
    const thinner = new PointThinner(latest.current.radius, { w: raster.width, h: raster.height });
    const n = toImage(latest.current.view, latest.current.fit, p);
    thinner.add(n.x, n.y);
    gesture.current = { kind: 'paint', pointerId: e.pointerId, thinner, mode: t };
    scheduleFrame();
  }

  function onPointerMove(e: ReactPointerEvent<HTMLDivElement>) {
    const p = local(e);
    if (e.pointerType !== 'touch') moveCursor(p);
    if (!pointers.current.has(e.pointerId)) return;
    pointers.current.set(e.pointerId, p);
    const g = gesture.current;
    const { viewport: vp, fit: f } = latest.current;
    if (g.kind === 'pinch') {
      const to = twoFingers();
      const from = g.from;
      g.from = to;
      setView((v) => pinch(v, from, to, vp, f));
    } else if (g.kind === 'pan' && g.pointerId === e.pointerId) {
      const dx = p.x - g.last.x;
      const dy = p.y - g.last.y;
      g.last = p;
      setView((v) => panBy(v, dx, dy, vp, f));
    } else if (g.kind === 'paint' && g.pointerId === e.pointerId) {
      const events = e.nativeEvent.getCoalescedEvents?.() ?? [];
      let current = g;
      let grew = false;
      for (const ev of events.length > 0 ? events : [e.nativeEvent]) {
        // At the format's cap on points a stroke ends and the next one carries on from its end.
        if (current.thinner.points.length >= (MAX_STROKE_POINTS - 1) * 2) {
          finishStroke(current);
          const thinner = new PointThinner(latest.current.radius, { w: raster.width, h: raster.height });
          const pts = current.thinner.points;
          thinner.add(pts[pts.length - 2]!, pts[pts.length - 1]!);
          current = { ...current, thinner };
          gesture.current = current;
        }
        const n = toImage(latest.current.view, f, local(ev));
        if (current.thinner.add(n.x, n.y)) grew = true;
      }
      if (grew) scheduleFrame();
    }
  }

  function onPointerEnd(e: ReactPointerEvent<HTMLDivElement>) {
    pointers.current.delete(e.pointerId);
    const g = gesture.current;
    if (g.kind === 'paint' && g.pointerId === e.pointerId) {
      if (e.type === 'pointercancel') cancelStroke();
      else finishStroke(g);
      gesture.current = { kind: 'idle' };
    } else if (g.kind === 'pan' && g.pointerId === e.pointerId) {
      gesture.current = { kind: 'idle' };
    } else if (g.kind === 'pinch' || g.kind === 'wait') {
      gesture.current = pointers.current.size === 0 ? { kind: 'idle' } : { kind: 'wait' };
    }
    if (e.type === 'pointercancel') moveCursor(null);
  }

  // The wheel zooms at the cursor (a trackpad pinch arrives as a wheel with Ctrl held); it must
  // not scroll the page, which needs a listener React does not register as passive.
  useEffect(() => {
    const el = viewportRef.current;
    if (!el) return;
    function onWheel(e: WheelEvent) {
      e.preventDefault();
      const rect = el!.getBoundingClientRect();
      const anchor = { x: e.clientX - rect.left, y: e.clientY - rect.top };
      const { viewport: vp, fit: f } = latest.current;
      const delta = e.deltaMode === 1 ? e.deltaY * 16 : e.deltaY;
      const factor = Math.exp(-delta * (e.ctrlKey ? 0.01 : 0.002));
      latest.current.setView((v) => zoomAt(v, factor, anchor, vp, f));
    }
    el.addEventListener('wheel', onWheel, { passive: false });
    return () => el.removeEventListener('wheel', onWheel);
  }, [viewportRef]);

  useEffect(
    () => () => {
      if (frame.current !== null) cancelAnimationFrame(frame.current);
    },
    [],
  );

  const panning = tool === 'pan' || panKey;
  return (
    <div
      ref={viewportRef}
      role="application"
      aria-label="Painting area: drag to paint with the brush"
      className={`${styles.viewport} ${panning ? styles.panning : ''}`}
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={onPointerEnd}
      onPointerCancel={onPointerEnd}
      onPointerEnter={(e) => {
        if (e.pointerType !== 'touch') props.onHover?.(true);
      }}
      onPointerLeave={(e) => {
        props.onHover?.(false);
        if (!pointers.current.has(e.pointerId)) moveCursor(null);
      }}
      onContextMenu={(e) => e.preventDefault()}
      data-testid="editor-viewport"
      data-zoom={view.zoom.toFixed(2)}
      style={{ aspectRatio: `${raster.width} / ${raster.height}` }}
    >
      <div
        className={`bgr-checkerboard ${styles.stage}`}
        style={{ width: fit.w, height: fit.h, transform: cssTransform(view) }}
      >
        <canvas
          ref={canvasRef}
          width={raster.width}
          height={raster.height}
          className={styles.canvas}
          style={{ imageRendering: view.zoom >= 3 ? 'pixelated' : 'auto' }}
          aria-label={`${props.alt}: the cut-out being edited`}
          role="img"
          data-testid="editor-canvas"
        />
        {props.compare ? (
          <img src={props.originalUrl} alt={`${props.alt}, original`} className={styles.original} draggable={false} />
        ) : null}
      </div>
      {props.compare ? <span className={styles.tag}>Original</span> : null}
      <div ref={cursorRef} className={styles.cursor} aria-hidden="true" />
    </div>
  );
}
