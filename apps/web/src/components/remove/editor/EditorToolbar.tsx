'use client';
/**
 * The editor's controls, every one a real button, radio or slider with a label, so they work from
 * the keyboard and are found by name (the browser story clicks them by their labels): the brush
 * (Erase, Restore, or Pan), its size and soft edge, zoom, undo and redo, the comparison with the
 * original, and "Reset to automatic".
 */
import { useId } from 'react';
import { Button } from '@bgr/ui';
import { type Brush, diameterPx, SIZE_STEPS, type Tool } from './brush';
import styles from './editor.module.css';

const TOOLS: { tool: Tool; label: string; title: string }[] = [
  { tool: 'erase', label: 'Erase', title: 'Erase: remove what the model kept (E)' },
  { tool: 'restore', label: 'Restore', title: 'Restore: bring back what the model removed (R)' },
  { tool: 'pan', label: 'Pan', title: 'Pan: drag the picture (or hold Space)' },
];

export type EditorToolbarProps = {
  tool: Tool;
  onTool: (tool: Tool) => void;
  brush: Brush;
  onBrush: (brush: Brush) => void;
  image: { width: number; height: number };
  zoom: number;
  onZoom: (direction: 'in' | 'out' | 'fit') => void;
  canUndo: boolean;
  canRedo: boolean;
  onUndo: () => void;
  onRedo: () => void;
  compare: boolean;
  onCompare: (on: boolean) => void;
  canReset: boolean;
  onReset: () => void;
};

export function EditorToolbar(p: EditorToolbarProps) {
  const sizeId = useId();
  const softId = useId();
  return (
    <div className={styles.toolbar}>
      <div className={styles.group}>
        <div className={styles.segmented} role="radiogroup" aria-label="Brush">
          {TOOLS.map(({ tool, label, title }) => (
            <button
              key={tool}
              type="button"
              role="radio"
              aria-checked={p.tool === tool}
              title={title}
              onClick={() => p.onTool(tool)}
            >
              {label}
            </button>
          ))}
        </div>
      </div>

      <div className={styles.slider}>
        <label htmlFor={sizeId}>Size</label>
        <input
          id={sizeId}
          type="range"
          min={1}
          max={SIZE_STEPS}
          value={p.brush.size}
          onChange={(e) => p.onBrush({ ...p.brush, size: Number(e.target.value) })}
          aria-valuetext={`${diameterPx(p.brush.size, p.image)} pixels across`}
        />
        <output htmlFor={sizeId}>{diameterPx(p.brush.size, p.image)} px</output>
      </div>

      <div className={styles.slider}>
        <label htmlFor={softId}>Soft edge</label>
        <input
          id={softId}
          type="range"
          min={0}
          max={100}
          step={5}
          value={p.brush.softness}
          onChange={(e) => p.onBrush({ ...p.brush, softness: Number(e.target.value) })}
          aria-valuetext={`${p.brush.softness}%`}
        />
        <output htmlFor={softId}>{p.brush.softness}%</output>
      </div>

      <div className={styles.group}>
        <Button size="sm" variant="secondary" onClick={p.onUndo} disabled={!p.canUndo} title="Undo (Ctrl+Z)">
          Undo
        </Button>
        <Button size="sm" variant="secondary" onClick={p.onRedo} disabled={!p.canRedo} title="Redo (Shift+Ctrl+Z)">
          Redo
        </Button>
      </div>

      <div className={styles.group} role="group" aria-label="Zoom">
        <Button
          size="sm"
          variant="secondary"
          onClick={() => p.onZoom('out')}
          aria-label="Zoom out"
          disabled={p.zoom <= 1}
        >
          −
        </Button>
        <span className={styles.zoomLabel} data-testid="editor-zoom">
          {Math.round(p.zoom * 100)}%
        </span>
        <Button size="sm" variant="secondary" onClick={() => p.onZoom('in')} aria-label="Zoom in">
          +
        </Button>
        <Button size="sm" variant="secondary" onClick={() => p.onZoom('fit')} disabled={p.zoom === 1}>
          Fit
        </Button>
      </div>

      <div className={styles.group}>
        <Button
          size="sm"
          variant="secondary"
          aria-pressed={p.compare}
          onClick={() => p.onCompare(!p.compare)}
          title="Show the original photo to compare"
        >
          Show original
        </Button>
        <Button size="sm" variant="secondary" onClick={p.onReset} disabled={!p.canReset}>
          Reset to automatic
        </Button>
      </div>
    </div>
  );
}
