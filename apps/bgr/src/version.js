// The package's version, read from its own package.json, and the User-Agent the server counts as "apps".
import { readFileSync } from 'node:fs';

/** @type {string} */
export const VERSION = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version;

export const USER_AGENT = `bgr/${VERSION} (node ${process.versions.node}; ${process.platform})`;
