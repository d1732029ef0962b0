#!/usr/bin/env node
// The afc command: runs the bundle that `npm install` builds (scripts/build.mjs).
// CommonJS on purpose: it starts faster than an ES module on Node 20.
'use strict';
try {
  require('../dist/afc.cjs');
} catch (error) {
  if (error && error.code === 'MODULE_NOT_FOUND' && String(error.message).includes('dist/afc.cjs')) {
    process.stderr.write('afc: error: afc is not built; run `npm install` (or `npm run build`) in its folder\n');
    process.exitCode = 2;
  } else {
    throw error;
  }
}
