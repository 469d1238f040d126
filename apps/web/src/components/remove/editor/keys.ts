/**
 * The editor's keyboard shortcuts: Ctrl/Cmd+Z undoes, Shift+Ctrl/Cmd+Z (and Ctrl+Y, the Windows
 * habit) redoes, [ and ] change the brush size, E and R pick the brush. Typing in a field never
 * triggers them. A plain function of the key event, tested without a browser.
 */

export type Shortcut = 'undo' | 'redo' | 'smaller' | 'larger' | 'erase' | 'restore';

type KeyLike = {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
  target?: unknown;
};

function inField(target: unknown): boolean {
  const t = target as { tagName?: string; isContentEditable?: boolean; type?: string } | null | undefined;
  if (!t?.tagName) return false;
  if (t.isContentEditable || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT') return true;
  // A range slider has no text to edit: the shortcuts stay on while one has focus.
  return t.tagName === 'INPUT' && t.type !== 'range' && t.type !== 'radio' && t.type !== 'checkbox';
}

export function shortcutFor(e: KeyLike): Shortcut | null {
  if (inField(e.target) || e.altKey) return null;
  const key = e.key.toLowerCase();
  if (e.ctrlKey || e.metaKey) {
    if (key === 'z') return e.shiftKey ? 'redo' : 'undo';
    if (key === 'y' && !e.shiftKey) return 'redo';
    return null;
  }
  if (key === '[') return 'smaller';
  if (key === ']') return 'larger';
  if (key === 'e') return 'erase';
  if (key === 'r') return 'restore';
  return null;
}
