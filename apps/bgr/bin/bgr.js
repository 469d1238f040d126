#!/usr/bin/env node
// The `bgr` command: plain JavaScript so it runs right after `npm install`, with no build step.
import { main } from '../src/main.js';

process.exitCode = await main(process.argv.slice(2));
