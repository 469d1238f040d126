// Globs for shells that do not expand them (or quoted ones): *, ?, [abc], {a,b} and ** across
// folders. Node 20 has no fs.glob, and a published CLI should not need a dependency for this.
import { readdirSync } from 'node:fs';
import path from 'node:path';

/** @param {string} text */
export function hasMagic(text) {
  return /[*?[\]{}]/.test(text);
}

/**
 * A RegExp for a relative, '/'-separated path.
 * @param {string} pattern
 */
export function globToRegExp(pattern) {
  let re = '';
  let inBraces = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] ?? '';
    if (c === '*') {
      if (pattern[i + 1] === '*') {
        const slash = pattern[i + 2] === '/';
        re += slash ? '(?:.*/)?' : '.*';
        i += slash ? 2 : 1;
      } else re += '[^/]*';
    } else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 1);
      if (end < 0) re += '\\[';
      else {
        const body = pattern
          .slice(i + 1, end)
          .replace(/^!/, '^')
          .replace(/\\/g, '\\\\');
        re += `[${body}]`;
        i = end;
      }
    } else if (c === '{') {
      inBraces = true;
      re += '(?:';
    } else if (c === '}' && inBraces) {
      inBraces = false;
      re += ')';
    } else if (c === ',' && inBraces) re += '|';
    else re += c.replace(/[.+^$()|\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

/**
 * The folder before the first segment with a wildcard, and the rest of the pattern.
 * @param {string} pattern
 */
export function splitGlob(pattern) {
  const segments = pattern.split(/[\\/]/);
  const firstMagic = segments.findIndex(hasMagic);
  const baseSegments = segments.slice(0, firstMagic);
  const base = baseSegments.length === 0 ? '.' : baseSegments.join('/') || '/';
  return { base, rest: segments.slice(firstMagic).join('/') };
}

/**
 * Files matching the pattern (sorted), as paths that start with the pattern's base folder.
 * @param {string} pattern
 * @returns {{ base: string, files: string[] }}
 */
export function expandGlob(pattern) {
  const { base, rest } = splitGlob(pattern);
  const matcher = globToRegExp(rest);
  const maxDepth = rest.includes('**') ? Number.POSITIVE_INFINITY : rest.split('/').length;
  /** @type {string[]} */
  const files = [];
  /**
   * @param {string} rel
   * @param {number} depth
   */
  const visit = (rel, depth) => {
    let entries;
    try {
      entries = readdirSync(path.join(base, rel), { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const childRel = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (depth < maxDepth) visit(childRel, depth + 1);
      } else if (entry.isFile() && matcher.test(childRel)) files.push(path.join(base, childRel));
    }
  };
  visit('', 1);
  return { base, files: files.sort() };
}
