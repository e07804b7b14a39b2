#!/usr/bin/env node
// Removes the folders named on the command line (the build's output), on any platform.
import { rmSync } from 'node:fs';

for (const dir of process.argv.slice(2)) rmSync(dir, { recursive: true, force: true });
