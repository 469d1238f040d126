/** The editor's keyboard shortcuts, and that typing in a field never triggers them. */
import { describe, expect, it } from 'vitest';
import { shortcutFor } from '~/components/remove/editor/keys';

const key = (
  k: string,
  mods: Partial<{ ctrl: boolean; meta: boolean; shift: boolean; alt: boolean }> = {},
  target?: unknown,
) => ({
  key: k,
  ctrlKey: Boolean(mods.ctrl),
  metaKey: Boolean(mods.meta),
  shiftKey: Boolean(mods.shift),
  altKey: Boolean(mods.alt),
  target,
});

describe('shortcutFor', () => {
  it('maps Ctrl/Cmd+Z to undo and Shift+Ctrl/Cmd+Z or Ctrl+Y to redo', () => {
    expect(shortcutFor(key('z', { ctrl: true }))).toBe('undo');
    expect(shortcutFor(key('z', { meta: true }))).toBe('undo');
    expect(shortcutFor(key('Z', { ctrl: true, shift: true }))).toBe('redo');
    expect(shortcutFor(key('Z', { meta: true, shift: true }))).toBe('redo');
    expect(shortcutFor(key('y', { ctrl: true }))).toBe('redo');
    expect(shortcutFor(key('z'))).toBeNull();
    expect(shortcutFor(key('z', { ctrl: true, alt: true }))).toBeNull();
  });

  it('maps the brush keys', () => {
    expect(shortcutFor(key('['))).toBe('smaller');
    expect(shortcutFor(key(']'))).toBe('larger');
    expect(shortcutFor(key('e'))).toBe('erase');
    expect(shortcutFor(key('R'))).toBe('restore');
    expect(shortcutFor(key('e', { ctrl: true }))).toBeNull();
  });

  it('leaves text fields alone but works while a slider has focus', () => {
    expect(shortcutFor(key('z', { ctrl: true }, { tagName: 'INPUT', type: 'text' }))).toBeNull();
    expect(shortcutFor(key('e', {}, { tagName: 'TEXTAREA' }))).toBeNull();
    expect(shortcutFor(key('e', {}, { tagName: 'DIV', isContentEditable: true }))).toBeNull();
    expect(shortcutFor(key('z', { ctrl: true }, { tagName: 'INPUT', type: 'range' }))).toBe('undo');
    expect(shortcutFor(key('z', { ctrl: true }, { tagName: 'BUTTON' }))).toBe('undo');
  });
});
