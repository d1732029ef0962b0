#!/usr/bin/env node
// The afc command: runs the bundle that `npm install` builds (scripts/build.mjs).
//
// `afc validate` runs in commit hooks, so start-up matters. Most of it is V8
// compiling the bundle; a code cache beside the bundle skips that from the
// second run on. Node 22+ does this itself (module.enableCompileCache); on
// Node 20 this file does it with vm.Script's cachedData, as v8-compile-cache
// did. A cache that cannot be read or written is simply not used.
'use strict';
const Module = require('node:module');
const { join } = require('node:path');
const bundle = join(__dirname, '..', 'dist', 'afc.cjs');

function notBuilt() {
  process.stderr.write('afc: error: afc is not built; run `npm install` (or `npm run build`) in its folder\n');
  process.exitCode = 2;
}

if (typeof Module.enableCompileCache === 'function') {
  Module.enableCompileCache();
  try {
    require(bundle);
  } catch (error) {
    if (error && error.code === 'MODULE_NOT_FOUND' && String(error.message).includes(bundle)) notBuilt();
    else throw error;
  }
} else {
  const fs = require('node:fs');
  const vm = require('node:vm');
  let source;
  try {
    source = fs.readFileSync(bundle, 'utf8');
  } catch {
    notBuilt();
  }
  if (source !== undefined) {
    const cacheFile = `${bundle}.v8-cache`;
    let cachedData;
    try {
      cachedData = fs.readFileSync(cacheFile);
    } catch {}
    const script = new vm.Script(Module.wrap(source), { filename: bundle, cachedData });
    if (cachedData === undefined || script.cachedDataRejected) {
      // Written at exit, so the functions this run compiled are in it.
      process.once('exit', () => {
        try {
          const temporary = `${cacheFile}.${process.pid}`;
          fs.writeFileSync(temporary, script.createCachedData());
          fs.renameSync(temporary, cacheFile);
        } catch {}
      });
    }
    const module = { exports: {} };
    // Dynamic import() (plugins) cannot run inside vm code on Node 20; the bundle borrows this module's.
    globalThis.__afcImport = (specifier) => import(specifier);
    script.runInThisContext()(module.exports, Module.createRequire(bundle), module, bundle, join(bundle, '..'));
  }
}
